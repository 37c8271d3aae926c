"""Orders after checkout: 我的订单 and, next, an order's detail, its actions by status
(cancel with refund, change address, confirm receipt), review, and the timeline of its
events. It sits above payments (a cancel refunds) and logistics (tracking)."""
