"""Licence and copyright footers that wiki and archive sites append to a document.

Wikisource ends every page with its licence templates: ``本作品是中华人民共和国的法律、法规…属于公有领域。``,
community notes (``据2024年社群共识…``), footnotes to the template and residue such as ``Public domain`` and
``false``. None of it is the document: it names years that are not the document's and makes ``著作权法`` a
hit in every report. A footer is found only near the end: it starts at a line that states the licence of
"this work" (patterns in :mod:`indexer.extract.rules`) and runs to the end of the text, and it is short. Loose
template residue after the text is dropped too. Everything removed is reported with its reason.
"""

from __future__ import annotations

from indexer.document import Removal
from indexer.extract import rules

REASON = "licence/copyright footer of a wiki or archive site"


def _footer_start(lines: list[str]) -> int | None:
    """Index of the line that opens a licence footer among the last lines, or None."""
    filled = [i for i, ln in enumerate(lines) if ln.strip()]
    for i in filled[-rules.FOOTER_MAX_LINES:]:
        window = "".join(ln.strip() for ln in lines[i:i + 12])[:rules.FOOTER_WINDOW]
        if rules.LICENCE_START.match(lines[i].strip()) and rules.LICENCE_TERMS.search(window):
            return i
    return None


def remove_licence_footer(lines: list[str], removed: list[Removal]) -> list[str]:
    """``lines`` without a licence footer or trailing template residue (see the module docstring)."""
    start = _footer_start(lines)
    if start is not None and sum(len(ln.strip()) for ln in lines[start:]) > rules.FOOTER_MAX_CHARS:
        start = None
    end = len(lines) if start is None else start
    while end > 0 and (not lines[end - 1].strip() or rules.FOOTER_RESIDUE.match(lines[end - 1].strip())):
        end -= 1
    removed.extend(Removal(ln.strip(), REASON) for ln in lines[end:] if ln.strip())
    return lines[:end]
