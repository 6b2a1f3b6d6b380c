"""What the browser tests share: a site served by waitress on 127.0.0.1 in a thread, and a page of Debian's
Chromium driven by Playwright (skipped with a clear message where either is missing). Screenshots go to
``ARTIFACTS``."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT

from webui import create_app

ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.skip("Chromium is not installed (run `make browser` as root to install Debian's chromium)")
    return path


@contextmanager
def served(index: Path | str) -> Iterator[str]:
    """The site over ``index`` (an index folder, or a database URL) on a free port of 127.0.0.1; yields its base
    URL."""
    from waitress import create_server

    config = {"DATABASE_URL": index} if str(index).startswith("postgresql://") else {"INDEX_DIR": str(index)}
    server = create_server(create_app(config), host="127.0.0.1", port=0, threads=2)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        server.close()
        thread.join(timeout=5)


@contextmanager
def browser_page(width: int = 1200, height: int = 900) -> Iterator[Any]:
    """A Chromium page (zh-CN) of the given viewport."""
    executable = chromium()
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
        try:
            yield context.new_page()
        finally:
            context.close()
            browser.close()
