"""The system components some tests need — PostgreSQL, Chromium, antiword, the OCR extra, a CJK font — and what a
test does when one is missing.

On a developer's machine it skips, with the reason and the command that installs the component. Under CI
(``CI=true`` in the environment, as ``.ci/run`` sets it) it *fails*, naming what is missing: CI installs every
component (``make test`` runs tests/install_system.sh, which fails there when it cannot), so a missing one
is a broken set-up, and a run that skipped the tests needing it would pass without having tested them.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import NoReturn

import pytest

_TRUE = {"1", "true", "yes", "on"}


def in_ci() -> bool:
    """Whether this run is CI's (``CI`` set to true, as GitHub, GitLab and .ci/run set it)."""
    return os.environ.get("CI", "").strip().lower() in _TRUE


def missing(component: str, reason: str) -> NoReturn:
    """Skip the test because ``component`` is missing — or, under CI, fail it."""
    if in_ci():
        pytest.fail(f"CI=true and {component} is missing: {reason}", pytrace=False)
    pytest.skip(reason)


def antiword() -> str:
    """antiword's path (Word 97 and WPS files)."""
    path = shutil.which("antiword")
    if path is None:
        missing("antiword", "antiword is not installed (tests/install_system.sh installs it as root)")
    return path


def chromium() -> str:
    """Chromium's path (the real-browser tests)."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        missing("chromium", "Chromium is not installed (run `make browser` as root to install Debian's chromium)")
    return path


def postgresql() -> None:
    """PostgreSQL's server programs (the database backend's tests start servers of their own)."""
    from indexer.pg.cluster import installed

    if not installed():
        missing("PostgreSQL", "PostgreSQL is not installed (as root, `make test` installs Debian's postgresql; "
                "elsewhere: apt-get install postgresql): PostgreSQL backend tests skipped")


def ocr() -> None:
    """The OCR extra (rapidocr and onnxruntime, installed by ``make venv``)."""
    from indexer.extract.formats import ocr as engine

    if not engine.available():
        missing("the OCR extra (rapidocr)", "OCR extra not installed: pip install 'tzsearch[ocr]'")


def cjk_font() -> Path:
    """A CJK font file (to draw scanned pages)."""
    from tools.pdfgen import cjk_font as find

    font = find()
    if font is None:
        missing("a CJK font", "no CJK font (Debian fonts-noto-cjk; tests/install_system.sh installs it as root)")
    return font
