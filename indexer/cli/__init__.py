"""Command line (``python -m indexer``): :mod:`.main` holds the parser and ``extract``; :mod:`.index` the
commands that work on an index (import, search, stats, delete) and the crawler's entry.
"""
