"""Logistics (to come): shipments of paid orders by the simulated merchant with a carrier
(顺丰, 中通, 圆通, 京东…) and a waybill, the carrier's scans (揽收 … 已签收, exceptions such as
延误 or 退回) as catch-up steps, and the lookup of any waybill of the store."""
