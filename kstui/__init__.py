"""kstui: a terminal storefront in the style of the Kuaishou self-service shop."""

__version__ = "0.1.0"
