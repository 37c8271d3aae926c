"""Ordering: the cart, the address book, coupons and daily check-in, the pricing rules
(freight, coupon choice, discount allocation), invoices and checkout, up to orders waiting
for payment and their cancellation. It reads the catalogue and accounts."""
