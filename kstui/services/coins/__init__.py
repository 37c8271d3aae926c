"""快币 (to come): coins bought with the balance or a payment method, spent on gifts in the
live rooms (with the limits of a minor account), and the coin ledger that tip refunds and
recharge cases (not credited, charged twice) act on."""
