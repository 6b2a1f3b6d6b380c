"""The association and keyness statistics of collocates and keyness, vectorised (numpy arrays in, arrays out).

* :func:`keyness_ll` — log-likelihood of a frequency in two corpora (Rayson & Garside 2000):
  ``E1 = c·(a+b)/(c+d)``, ``E2 = d·(a+b)/(c+d)``, ``LL = 2·(a·ln(a/E1) + b·ln(b/E2))``, with ``a``, ``b``
  the frequencies and ``c``, ``d`` the sizes of the target and reference corpora (0·ln 0 = 0).
* :func:`percent_diff` — %DIFF (Gabrielatos & Marchi 2012): ``(a/c − b/d) / (b/d) · 100``; undefined (NaN)
  when the reference frequency is 0.
* :func:`collocation_ll` and :func:`mutual_information` — window-based collocation (Evert 2008): with ``O11``
  the collocate's occurrences inside the node's windows, ``R1`` all tokens inside the windows, ``C1`` the
  collocate's frequency in the corpus and ``N`` the corpus size, the 2×2 table is ``O11, R1−O11 / C1−O11,
  N−R1−C1+O11``; ``E11 = R1·C1/N``; ``MI = log2(O11/E11)`` and ``LL = 2·Σ Oij·ln(Oij/Eij)``.
"""

from __future__ import annotations

import numpy as np

#: Log-likelihood above which a difference is significant at p < 0.05 (one degree of freedom).
LL_SIGNIFICANT = 3.84


def _xlnx_over(o: np.ndarray, e: np.ndarray) -> np.ndarray:
    """o · ln(o / e), 0 where o is 0."""
    o = np.asarray(o, dtype=np.float64)
    e = np.asarray(e, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = o * np.log(o / e)
    return np.where(o > 0, out, 0.0)


def keyness_ll(a: np.ndarray, b: np.ndarray, c: float, d: float) -> np.ndarray:
    """Log-likelihood of frequencies ``a`` (target, size ``c``) against ``b`` (reference, size ``d``)."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    total = a + b
    e1, e2 = c * total / (c + d), d * total / (c + d)
    return 2.0 * (_xlnx_over(a, e1) + _xlnx_over(b, e2))


def percent_diff(a: np.ndarray, b: np.ndarray, c: float, d: float) -> np.ndarray:
    """%DIFF of normalised frequencies, NaN where ``b`` is 0."""
    na = np.asarray(a, dtype=np.float64) / c
    nb = np.asarray(b, dtype=np.float64) / d
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(nb > 0, (na - nb) * 100.0 / nb, np.nan)


def expected(r1: float, c1: np.ndarray, n: float) -> np.ndarray:
    """E11: how often a collocate of corpus frequency ``c1`` would fall in ``r1`` window tokens by chance."""
    return r1 * np.asarray(c1, dtype=np.float64) / n


def mutual_information(o11: np.ndarray, r1: float, c1: np.ndarray, n: float) -> np.ndarray:
    """log2(O11 / E11)."""
    with np.errstate(divide="ignore"):
        return np.log2(np.asarray(o11, dtype=np.float64) / expected(r1, c1, n))


def collocation_ll(o11: np.ndarray, r1: float, c1: np.ndarray, n: float) -> np.ndarray:
    """Log-likelihood of the 2×2 table of window co-occurrence (module docstring)."""
    o11 = np.asarray(o11, dtype=np.float64)
    c1 = np.maximum(np.asarray(c1, dtype=np.float64), o11)
    r2 = n - r1
    c2 = n - c1
    cells = ((o11, r1 * c1 / n), (r1 - o11, r1 * c2 / n), (c1 - o11, r2 * c1 / n), (n - r1 - c1 + o11, r2 * c2 / n))
    return 2.0 * sum((_xlnx_over(np.maximum(o, 0.0), e) for o, e in cells), np.zeros(len(o11)))
