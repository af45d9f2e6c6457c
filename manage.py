#!/usr/bin/env python
"""Django's command-line utility; `chainlead` (chainlead/cli.py) is the same with a friendlier name."""

from chainlead.cli import main

if __name__ == "__main__":
    main()
