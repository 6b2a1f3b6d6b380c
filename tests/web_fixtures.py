"""The site over a real index with its search backend wrapped: a test changes one method (hits holding what
extraction never lets through, rows that never end, a method that fails) and everything else is real."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask

from webui import create_app


class Wrapped:
    """The real backend; a subclass overrides what the test changes."""

    def __init__(self, real: Any) -> None:
        self.real = real

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


@contextmanager
def corpus_app(request: Any, backend: str, corpus_index: Any, **config: Any) -> Iterator[Flask]:
    """The site over the shipped corpus on ``backend`` ("whoosh" or "postgresql", the database through the
    app's pool); its service is closed afterwards."""
    where = ({"DATABASE_URL": request.getfixturevalue("corpus_db")} if backend == "postgresql"
             else {"INDEX_DIR": str(corpus_index[0])})
    app = create_app({**where, "TESTING": True, **config})
    try:
        yield app
    finally:
        service = app.extensions.get("tzsearch")
        if service is not None:
            service.close()


def wrapped_app(index: Path, wrap: Callable[[Any], Any], **config: Any) -> Flask:
    """The app of ``index`` whose search backend is ``wrap(the real one)``."""
    app = create_app({"INDEX_DIR": str(index), "TESTING": True, **config})
    with app.app_context():
        from webui.service import get_service

        app.extensions["tzsearch"] = wrap(get_service())
    return app
