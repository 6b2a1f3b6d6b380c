"""The site's JSON writer (webui/jsonout.py) writes the bytes the standard library writes with the site's settings
for every kind of search answer, the same values for the rest, and falls back to it for what orjson will not
write."""

from __future__ import annotations

import datetime
import decimal
import json
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
from web_fixtures import Wrapped, wrapped_app

from indexer.search.results import to_json
from webui import create_app


def _standard(obj: Any) -> bytes:
    """What Flask's own provider wrote for ``to_json(obj)`` with the site's settings."""
    text = json.dumps(to_json(obj), ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
    return text.encode("utf-8")


class _Recorded(Wrapped):
    """The real backend, keeping every result object it answered."""

    answered: list[Any] = []

    def search(self, params):
        result = self.real.search(params)
        self.answered.append(result)
        return result

    def stats(self, *args, **kwargs):
        result = self.real.stats(*args, **kwargs)
        self.answered.append(result)
        return result

    def document(self, *args, **kwargs):
        result = self.real.document(*args, **kwargs)
        self.answered.append(result)
        return result


QUERIES = ['"统一战线"', "统战 工作", '"统一战线"&group=section', "民族 宗教&sort=newest&per_page=50",
           '"的"&page=2', '统战&province=北京', '"两个健康" OR 非公有制', "title:统战", '"没有这样的词语"',
           "统一战线&year=2019"]


def test_every_answer_is_written_as_the_standard_library_writes_it(corpus_index) -> None:
    _Recorded.answered = []
    client = wrapped_app(corpus_index[0], _Recorded).test_client()
    paths = [f"/api/search?q={q}" for q in QUERIES] + ["/api/stats"]
    for path in paths:
        r = client.get(path)
        assert r.status_code == 200, path
        assert r.mimetype == "application/json"
        assert r.get_data() == _standard(_Recorded.answered[-1]), path
    first = json.loads(client.get("/api/search?q=统战").get_data())["hits"][0]["doc_id"]
    r = client.get(f"/api/doc/{first}")
    assert r.status_code == 200 and r.get_data() == _standard(_Recorded.answered[-1])
    grouped = json.loads(client.get('/api/search?q="统一战线"').get_data())
    assert grouped["total"] > 0 and "notice" not in grouped  # no notice: the field is left out, as to_json does


@dataclass
class _Odd:
    when: datetime.date
    amount: decimal.Decimal
    score: np.float64
    count: np.int64
    ids: np.ndarray
    notice: str | None = None


def test_values_beyond_plain_json_are_written_as_flask_wrote_them_or_as_valid_json() -> None:
    app = create_app({"TESTING": True})
    with app.app_context():
        odd = _Odd(datetime.date(2021, 3, 4), decimal.Decimal("1.50"), np.float64(0.25), np.int64(7),
                   np.arange(3, dtype=np.int32))
        body = json.loads(app.json.response(odd).get_data())
        assert body == {"when": "Thu, 04 Mar 2021 00:00:00 GMT", "amount": "1.50", "score": 0.25, "count": 7,
                        "ids": [0, 1, 2]}  # numpy values written (Flask refused them), the others as Flask did
        # a small number keeps its value (written 0.00005, not 5e-05); NaN, which was written as the invalid
        # token NaN, is null
        assert json.loads(app.json.response({"f": 5e-05, "g": 1e-300}).get_data()) == {"f": 5e-05, "g": 1e-300}
        assert app.json.response({"n": float("nan")}).get_data() == b'{"n":null}\n'
        # an integer beyond 64 bits (orjson refuses it) and a lone surrogate: written by the standard library
        assert app.json.response({"n": 2**70}).get_data() == b'{"n":1180591620717411303424}\n'
        lone = app.json.response({"t": "统\ud800战"})
        assert lone.status_code == 200 and json.loads(lone.get_data()) == {"t": "统\ufffd战"}
        with pytest.raises(TypeError):
            app.json.response({"x": object()})


def test_debug_mode_keeps_flask_indented_answers() -> None:
    app = create_app({"TESTING": True})
    app.debug = True
    with app.app_context():
        assert app.json.response({"b": 1, "a": [1]}).get_data() == b'{\n  "a": [\n    1\n  ],\n  "b": 1\n}\n'
