"""The domain: rules of the shop, free of any user interface, grouped in areas.

Each area is a package (`catalog`, `accounts`, `ordering`, `payments`, `orders`,
`logistics`, `aftersale`, `support`, `coins`, `merchant`, `platform`) whose docstring says
what lives there; areas depend one way (aftersale → orders → payments → ordering →
catalog / accounts), enforced by an import-linter contract. Services are plain functions
and small classes taking the store (or a transaction) and a keyword-only `clock=`, raising
`kstui.services.errors.DomainError` subclasses that the screens and the CLI turn into
messages. `errors` and `state_machine` are shared by every area.
"""
