"""kstui: a terminal storefront in the style of the Kuaishou self-service shop."""

import os

__version__ = "0.1.0"

# Textual repaints at most 60 times a second by default, so every change waits up to
# 17 ms for its frame; at 120 a keystroke's results reach the screen sooner. Set before
# Textual is imported; an explicit TEXTUAL_FPS in the environment wins.
os.environ.setdefault("TEXTUAL_FPS", "120")
