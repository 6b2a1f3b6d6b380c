"""Index sub-commands (import, search, stats, delete, crawl); filled in by the index issue."""

from __future__ import annotations

import argparse
from typing import Any


def commands() -> dict[str, Any]:
    """Sub-commands that work on an index."""
    return {}
