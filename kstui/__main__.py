"""`python -m kstui` is the same as `kstui`."""

from kstui.cli import main

main()
