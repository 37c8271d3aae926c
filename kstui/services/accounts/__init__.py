"""Accounts: phones and SMS codes, passwords, 微信/QQ identities, registration with
real-name verification, login sessions, second verification, payment passwords and the
lockouts that guard them. It depends on no other area."""
