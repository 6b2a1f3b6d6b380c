"""The text model: everything that decides which characters and words an index holds for a text.

Exact wording is only sound when a query is normalised and segmented the way the indexed text was. That
depends on code (:mod:`indexer.text.normalize`, :mod:`indexer.text.segment`) and on data that can change
under it with an upgrade: OpenCC's conversion tables, Python's Unicode database (NFKC, categories), rjieba's
dictionary and the project's user dictionary. :func:`fingerprint` names all of them; it is recorded in every
generation's manifest, and an index whose fingerprint differs from this process's is refused with "rebuild"
(``python -m indexer upgrade``) instead of answering with a normalisation it was not built with.

The fingerprint measures behaviour where it can (a hash of the compiled translation table and of the
segmentation of a probe text), so a changed table is noticed even when no version number moved.
"""

from __future__ import annotations

import functools
import hashlib
import unicodedata
from importlib import metadata, resources
from typing import Any

#: Bump when the code of normalize/segment/doctext changes what it produces (2: a document's title in another
#: language, ``title_alt``, is part of its searched text; 3: every format character and variation selector is
#: removed, not only the zero-width ones, and traditional quotation marks become the simplified ones; 4: every
#: character beyond the BMP that NFKC or case folding changes is changed, not only those of a list of ranges:
#: 🯱 is 1, 𐐀 is 𐐨; 5: a character with combining marks is decomposed, so é and e + U+0301, ガ and ｶﾞ meet).
NORMALIZER_VERSION = 5

#: Segmented to notice a dictionary that changed without a version number moving.
_PROBE = ("统一战线工作是党的重要法宝，坚持大团结大联合，促进非公有制经济健康发展和非公有制经济人士健康成长，"
          "做好民族宗教、港澳台侨和新的社会阶层人士工作。經濟復甦，两个健康，一线两面三结合。")


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "absent"


def _digest(data: str) -> str:
    return hashlib.sha256(data.encode("utf-8", "surrogatepass")).hexdigest()[:16]


@functools.lru_cache(maxsize=1)
def fingerprint() -> dict[str, Any]:
    """This process's text model (computed once; the translation table is built anyway by the first
    normalisation)."""
    from indexer.text.normalize import normalize, translation_table
    from indexer.text.segment import tokenize

    table = translation_table()
    userdict = resources.files("indexer").joinpath("data/userdict.txt").read_text(encoding="utf-8")
    probe = normalize(_PROBE)
    return {
        "normalizer": NORMALIZER_VERSION,
        "unicode": unicodedata.unidata_version,
        "opencc": _version("opencc"),
        "table": _digest("".join(f"{k}:{v};" for k, v in sorted(table.items()))),
        "rjieba": _version("rjieba"),
        "userdict": _digest(userdict),
        "segmentation": _digest("|".join(w for w, _, _ in tokenize(probe))),
        "normalized_probe": _digest(probe),
    }


def differences(recorded: dict[str, Any] | None) -> list[str]:
    """What differs between a recorded text model and this process's (empty when they are the same)."""
    current = fingerprint()
    if not recorded:
        return ["no text model recorded"]
    return [f"{key}: index {recorded.get(key)!r}, this version {value!r}"
            for key, value in current.items() if recorded.get(key) != value]
