"""A document's continuous text: what exact wording is matched against.

A document is searched as the document page shows it: its stated title (when the body does not already
open with it) and its title in another language (``title_alt``, from a metadata file), then every section's
text in order, headings once. Normalisation removes white space and
line breaks, so the end of one section runs straight into the start of the next — a wording copied across
a section or passage break is found. The titles are kept apart by :data:`SEP`, a character normalisation
never produces, so no wording matches across a title and the body, or across the two titles.

:func:`document_pieces` returns one normalised piece per section; joined they are the continuous text, and
a match belongs to the section whose piece holds its first character.
"""

from __future__ import annotations

from collections.abc import Sequence

from indexer.text.normalize import normalize

#: Separates the title from the body in a document's continuous text (never produced by normalize).
SEP = "\u0001"


def document_pieces(title: str | None, title_derived: bool, sections: Sequence[tuple[str | None, str]],
                    title_alt: str | None = None) -> list[str]:
    """One normalised piece per ``(heading, text)`` section; their concatenation is the continuous text (the
    titles belong to the first section's piece)."""
    pieces = [normalize(text) for _, text in sections]
    if not pieces:
        return pieces
    previous: str | None = None
    for i, (heading, _) in enumerate(sections):
        if heading and heading != previous and heading != title:
            norm = normalize(heading)
            if norm and norm not in pieces[i]:
                pieces[i] = norm + SEP + pieces[i]
        previous = heading
    norm_title = normalize(title or "")
    head = [norm_title] if norm_title and not title_derived and not pieces[0].startswith(norm_title) else []
    norm_alt = normalize(title_alt or "")
    if norm_alt and norm_alt != norm_title:
        head.append(norm_alt)
    if head:
        pieces[0] = SEP.join(head) + SEP + pieces[0]
    return pieces
