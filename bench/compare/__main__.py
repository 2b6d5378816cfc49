"""``python -m bench.compare``: see ``python -m bench.compare --help``."""

import sys

from bench.compare.cli import main

sys.exit(main())
