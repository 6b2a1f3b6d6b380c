"""The site's JSON writer: Flask's JSON provider, encoding with orjson.

Every JSON answer (``jsonify``) is written by orjson in C — what Flask's own provider writes with the settings
this site uses (``ensure_ascii`` off, keys sorted, compact separators, a final line break), byte for byte
except in two places: a number below 1e-4 keeps its value in orjson's shortest form (``0.00005`` where the
standard library wrote ``5e-05``), and NaN or an infinity, which the standard library wrote as ``NaN`` or
``Infinity`` (no JSON parser but Python's accepts them), is ``null``. Numpy numbers and arrays are written as
numbers and lists (Flask refused them). On the
bench's 445 search answers at a million sections (21 KB each): 0.12 ms per answer instead of 0.41 (``to_json``
and the standard library's encoder), where the JSON had taken about a twentieth of a request's CPU.
A result object of :mod:`indexer.search.results` can be handed over as it is: its fields are given to the
encoder by :func:`~indexer.search.results.json_fields`, the rule :func:`~indexer.search.results.to_json`
follows, so lists of thousands of numbers (a grouped hit's sections, facet values) are walked in C.

Whatever orjson will not write is written as before, by Flask's provider after ``to_json``: a text holding a
lone surrogate (the response then carries U+FFFD, :mod:`webui.responses`), an integer beyond 64 bits, a type
neither knows (the same error as before). In debug mode Flask's indented output is kept.
"""

from __future__ import annotations

from dataclasses import is_dataclass
from typing import Any

import orjson
from flask.json.provider import DefaultJSONProvider
from werkzeug.sansio.response import Response

from indexer.search.results import json_fields, to_json

_OPTIONS = (orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE | orjson.OPT_PASSTHROUGH_DATACLASS
            | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_SERIALIZE_NUMPY)


class JsonProvider(DefaultJSONProvider):
    """Flask's provider with ``response`` (what ``jsonify`` calls) written by orjson (module docstring)."""

    ensure_ascii = False  # Chinese stays readable in the API
    sort_keys = True

    @staticmethod
    def _other(obj: Any) -> Any:
        """What orjson hands back: a result object's fields; a float subclass as its value (orjson writes
        subclasses of str and int itself); else what Flask's provider makes of it (a date as an HTTP date, a
        decimal or UUID as a string; anything else raises ``TypeError``)."""
        if is_dataclass(obj) and not isinstance(obj, type):
            return json_fields(obj)
        if isinstance(obj, float):
            return float(obj)
        return DefaultJSONProvider.default(obj)

    def response(self, *args: Any, **kwargs: Any) -> Response:
        obj = self._prepare_response_obj(args, kwargs)
        if self.compact is None and self._app.debug or self.compact is False:
            return super().response(to_json(obj))
        try:
            body = orjson.dumps(obj, default=self._other, option=_OPTIONS)
        except (orjson.JSONEncodeError, TypeError):
            return super().response(to_json(obj))
        response_class: Any = self._app.response_class  # Flask's, which takes a body first
        return response_class(body, mimetype=self.mimetype)

