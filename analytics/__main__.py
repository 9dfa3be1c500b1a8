"""``python -m analytics``: the command-line face of the analytics."""

import sys

from analytics.cli import main

sys.exit(main())
