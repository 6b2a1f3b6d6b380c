"""What the browser tests share: a site served by waitress on 127.0.0.1 in a thread, and a page of Debian's
Chromium driven by Playwright (skipped with a clear message where either is missing; under CI a failure:
tests/system.py). Screenshots go to ``ARTIFACTS``."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import system
from conftest import ROOT
from live_server import stop_in_process

from webui import create_app

ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


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
        stop_in_process(server, thread)


@contextmanager
def browser_page(width: int = 1200, height: int = 900) -> Iterator[Any]:
    """A Chromium page (zh-CN) of the given viewport. Every page it shows must keep to the site's
    Content-Security-Policy: a violation the browser reports on its console fails the tests that used it."""
    executable = system.chromium()
    try:
        from playwright import sync_api
    except ImportError:
        system.missing("playwright", "playwright is not installed (make venv installs it)")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
        violations: list[str] = []
        try:
            page = context.new_page()
            page.on("console", lambda msg: violations.append(f"{page.url}: {msg.text}")
                    if "Content Security Policy" in msg.text else None)
            yield page
            assert not violations, "the pages broke their Content-Security-Policy:\n" + "\n".join(violations)
        finally:
            context.close()
            browser.close()
