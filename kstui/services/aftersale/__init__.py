"""After-sale (to come): refund and return cases (仅退款, 退货退款) with their wizard rules,
windows (7-day no-reason return, exclusions), amounts capped by what was paid net of
discounts, merchant review within 48 h, return waybills, 平台介入 and the refund by the
original route; also tips (直播打赏), paid content and 快币 recharge cases."""
