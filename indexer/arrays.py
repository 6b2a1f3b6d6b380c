"""Array helpers for what numpy does slowly on large arrays.

``np.unique`` without ``return_counts`` hashes its input (numpy ≥ 2.3): on a million integers it takes
about 0.1 s where sorting and comparing neighbours takes 0.01 s, and on input that is already sorted
(documents of ascending sections) 0.04 s where comparing neighbours takes 0.003 s.
"""

from __future__ import annotations

import numpy as np


def distinct(a: np.ndarray, already_sorted: bool = False) -> np.ndarray:
    """The distinct values of ``a``, ascending (``already_sorted``: ``a`` is non-decreasing)."""
    a = np.asarray(a)
    if not already_sorted:
        a = np.sort(a, axis=None)
    if len(a) < 2:
        return a.copy()
    keep = np.empty(len(a), dtype=bool)
    keep[0] = True
    np.not_equal(a[1:], a[:-1], out=keep[1:])
    return a[keep]
