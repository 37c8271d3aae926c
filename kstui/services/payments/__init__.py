"""Payments: the cashier (支付宝/微信支付 QR trades, bank cards, the balance) facing the
simulated gateway, its signed notifications and refunds of late payments, the wallet and
its ledger, recharges. It marks ordering's checkouts paid."""
