"""indexer.arrays.distinct: the distinct values numpy's hashing unique gives, by sorting."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from indexer.arrays import distinct


@given(st.lists(st.integers(min_value=-5, max_value=50), max_size=200))
def test_distinct_equals_numpy_unique(values) -> None:
    a = np.array(values, dtype=np.int64)
    assert distinct(a).tolist() == np.unique(a).tolist()
    assert distinct(np.sort(a), already_sorted=True).tolist() == np.unique(a).tolist()
