"""Extraction in a worker process of its own, for the callers that extract one source at a time: ``extract FILE``
and the crawler (``import`` runs its files through a pool of the same workers: :mod:`indexer.index.importer`).

:class:`Readers` keeps one long-lived worker (:class:`indexer.index.workers.Workers`: an address-space and a
time limit, started again after a crash) and gives what :mod:`indexer.extract.pipeline` gives — an
:class:`~indexer.document.Extraction`, or :class:`ExtractError` with the reason — also when the reader
aborted, crashed, hung or ran out of memory ("reader crashed (signal 6, SIGABRT)", "over the memory limit
of 2048 MiB", "took longer than 180 s").
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from indexer.document import Extraction
from indexer.extract.errors import ExtractError
from indexer.extract.pipeline import extract_bytes, extract_file
from indexer.index.workers import Failure, Workers


@dataclass(frozen=True)
class _FileJob:
    path: Path
    url: str | None


@dataclass(frozen=True)
class _DataJob:
    data: bytes
    base_id: str
    kind: str
    url: str | None
    http_charset: str | None


def _run(job: _FileJob | _DataJob) -> Extraction | Failure:
    """In the worker: the extraction, or its reason."""
    try:
        if isinstance(job, _FileJob):
            return extract_file(job.path, url=job.url)
        return extract_bytes(job.data, job.base_id, kind=job.kind, url=job.url, http_charset=job.http_charset)
    except ExtractError as exc:
        return Failure(str(exc))


class Readers:
    """One worker process that extracts sources one at a time (a context manager)."""

    def __init__(self) -> None:
        self.workers: Workers[_FileJob | _DataJob, Extraction | Failure] = Workers(_run, 1)

    def __enter__(self) -> Readers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def file(self, path: Path, url: str | None = None) -> Extraction:
        """:func:`~indexer.extract.pipeline.extract_file` in the worker."""
        return self._outcome(self.workers.call(_FileJob(path, url)))

    def data(self, data: bytes, base_id: str, *, kind: str, url: str | None = None,
             http_charset: str | None = None) -> Extraction:
        """:func:`~indexer.extract.pipeline.extract_bytes` in the worker."""
        return self._outcome(self.workers.call(_DataJob(data, base_id, kind, url, http_charset)))

    @staticmethod
    def _outcome(outcome: Extraction | Failure) -> Extraction:
        if isinstance(outcome, Failure):
            raise ExtractError(outcome.reason)
        return outcome

    def close(self) -> None:
        self.workers.close()
