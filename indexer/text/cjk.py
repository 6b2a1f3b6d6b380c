"""The CJK character classes, written once.

``IDEOGRAPHS`` is a regex class body (for ``[...]``) of the unified ideographs, extension A and the
compatibility ideographs; ``COMMON`` only the basic block (U+4E00–U+9FFF), which is what "reads as Chinese"
tests use. Use these instead of spelling ranges in patterns.
"""

from __future__ import annotations

import re

#: Basic unified ideographs, as a regex class body.
COMMON = "\u4e00-\u9fff"
#: All ideographs a document may contain (extension A, basic, compatibility), as a regex class body.
IDEOGRAPHS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"

IDEOGRAPH = re.compile(f"[{IDEOGRAPHS}]")
IDEOGRAPH_RUN = re.compile(f"[{IDEOGRAPHS}]+")
#: A character that makes a token a word (letters, digits, ideographs), not punctuation.
WORD_CHAR = re.compile(rf"[\w{IDEOGRAPHS}]")


def is_ideograph(ch: str) -> bool:
    """Whether ``ch`` is one basic CJK ideograph."""
    return "\u4e00" <= ch <= "\u9fff"


def count_ideographs(text: str) -> int:
    """How many ideographs ``text`` holds."""
    return len(IDEOGRAPH.findall(text))
