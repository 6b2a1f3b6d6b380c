"""``python -m indexer``: see :mod:`indexer.cli.main`."""

import sys

from indexer.cli.main import main

sys.exit(main())
