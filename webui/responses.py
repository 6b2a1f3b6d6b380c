"""What every response of the site carries, whatever made it (a page, the API, a download, an error, a static
file): security headers, and a body UTF-8 can always encode.

* ``Content-Security-Policy``: scripts, styles, images and requests from this site only — no inline script
  or style (the pages have none: the copy buttons are ``static/copy.js``, colours are classes), no plugins,
  no ``<base>``, forms post here only, and no other site may frame a page (``frame-ancestors``, and
  ``X-Frame-Options`` for older browsers);
* ``X-Content-Type-Options: nosniff``: a download or a JSON answer is never run as a page or a script;
* ``Referrer-Policy: no-referrer``: following a link to a document's original site does not tell it what
  was searched here.

A text with a lone surrogate (which no UTF-8 can hold; the extraction refuses them, an older index may still
have one) is sent with U+FFFD in its place instead of failing the whole response with a 500.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Flask, Response

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}
_SURROGATE = re.compile("[\ud800-\udfff]")


def encodable(text: str) -> str:
    """``text`` with every lone surrogate replaced by U+FFFD (in a Python string, every surrogate is lone)."""
    return _SURROGATE.sub("\ufffd", text)


class SiteResponse(Response):
    """Flask's response; a text body is made encodable before it is encoded."""

    def set_data(self, value: Any) -> None:
        if isinstance(value, str):
            value = encodable(value)
        super().set_data(value)


def _secure(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def init_app(app: Flask) -> None:
    """Install the response class and the headers (``after_request`` runs for error pages too)."""
    app.response_class = SiteResponse
    app.after_request(_secure)
