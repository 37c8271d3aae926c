"""The merchant (to come): a shop's console and the simulated merchant's policies: shipping
paid orders after a delay, answering after-sale cases within 48 h, confirming returned
goods, managing its products and stock."""
