"""The domain: rules of the shop, free of any user interface.

Services are plain functions and small classes taking keyword-only `conn=`/`session=`
and `clock=` arguments, raising `kstui.services.errors.DomainError` subclasses that the
screens and the CLI turn into messages.
"""
