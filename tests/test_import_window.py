"""The import's workers stay at most a bounded number of files ahead of the writer: a writer slower than the
workers (a database) must not make the import hold every extracted file in memory; a writer that stops early
ends the workers without a hang."""

from __future__ import annotations

import multiprocessing as mp
import threading
import time

from indexer.index import importer

_started = mp.get_context("fork").Value("i", 0)


def counting_extract(task):
    """Stands in for the extraction: counts the tasks handed to the workers."""
    with _started.get_lock():
        _started.value += 1
    return task


def test_workers_stay_a_bounded_number_of_files_ahead_of_a_slow_writer(monkeypatch) -> None:
    monkeypatch.setattr(importer, "_extract", counting_extract)
    _started.value = 0
    tasks = list(range(2000))
    outcomes = importer._outcomes(tasks, 2)  # type: ignore[arg-type]
    ahead = 0
    seen = []
    for n, outcome in enumerate(outcomes, 1):
        seen.append(outcome)
        if n % 100 == 0:
            time.sleep(0.05)  # a slow writer: the workers could finish everything meanwhile
            ahead = max(ahead, _started.value - n)
    assert seen == tasks, "every outcome, in order"
    assert ahead <= 2 * importer.IN_FLIGHT + 8, f"the workers ran {ahead} files ahead of the writer"
    assert ahead >= 4, "the workers do work ahead of the writer"


def test_a_writer_that_stops_early_ends_the_workers(monkeypatch) -> None:
    monkeypatch.setattr(importer, "_extract", counting_extract)
    _started.value = 0
    outcomes = importer._outcomes(list(range(5000)), 2)  # type: ignore[arg-type]
    for n, _ in enumerate(outcomes, 1):
        if n == 10:
            break
    done = threading.Thread(target=outcomes.close)  # a hang here would be the pool joining a blocked feeder
    done.start()
    done.join(timeout=30)
    assert not done.is_alive(), "closing the import's outcomes hung"
    assert _started.value < 200
