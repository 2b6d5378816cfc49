"""``python -m chaos``: see ``python -m chaos --help``."""

import sys

from chaos.cli import main

sys.exit(main())
