"""The one error a stage of extraction raises for a source it cannot use.

Its message is the one-line reason that ``import`` and the crawler log and report as a skip. It lives in a
module of its own so that the format readers (:mod:`indexer.extract.formats`) and the pipeline share it
without importing each other.
"""

from __future__ import annotations


class ExtractError(ValueError):
    """A source yielded nothing usable; the message is the reason."""
