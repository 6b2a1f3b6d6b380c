"""NUL (``%00``) anywhere a request can carry text — a filter, field syntax, the query, a document id, the
research and reuse views — gets the same answer from both backends: what the embedded index gives (200, or
404 for a document), never a 500. PostgreSQL cannot hold NUL in text at all, so no stored value contains one
and none may reach a SQL parameter (a NUL there is an error of the driver)."""

from __future__ import annotations

import pytest
from conftest import BACKENDS

from webui import create_app

Q = "%E7%BB%9F%E6%88%98"  # 统战
PATHS_200 = [
    f"/api/search?q={Q}&province=%00", f"/api/search?q={Q}&city=a%00b", "/api/search?doctype=%00",
    "/api/search?source=%00&collection=%00", "/api/search?q=province:%00", "/api/search?q=city:%00%E4%B8%8A",
    f"/api/search?q=doctype:%00+{Q}", "/api/search?q=source:%22%00%22", "/api/search?q=collection:%00",
    "/api/search?q=title:%00", "/api/search?q=%00", f"/api/search?q=%22{Q}%00%22&mode=exact",
    f"/api/search?q={Q}%00", f"/api/search?q=NOT+province:%00+{Q}", f"/api/search?q=province:%00+OR+{Q}",
    f"/?q={Q}&province=%00", "/?q=province:%00", f"/api/export?q={Q}&province=%00&format=jsonl",
    "/api/export?q=province:%00&format=csv", f"/feed.atom?q={Q}&doctype=%00", "/feed.atom?q=%00",
    f"/api/first?q={Q}&province=%00", f"/api/trend?q={Q}&province=%00", f"/api/spread?q={Q}&city=%00",
    f"/api/concordance?q={Q}&doctype=%00", f"/api/first?q={Q}%00", f"/trend?q={Q}&province=%00",
    f"/spread?q={Q}&source=%00", f"/concordance?q={Q}&collection=%00", "/api/reuse?province=%00",
    "/api/reuse?doctype=%00", "/reuse?province=%00", f"/api/concordance?q=province:%00+{Q}",
]
PATHS_404 = ["/api/doc/%00", "/api/doc/docs/%00", "/doc/%00", "/doc/a%00b", "/api/doc/%00/reuse",
             "/api/doc/docs/x.txt%00"]


@pytest.fixture(scope="module", params=BACKENDS)
def client(request):
    if request.param == "postgresql":
        config = {"DATABASE_URL": request.getfixturevalue("corpus_db")}
    else:
        config = {"INDEX_DIR": str(request.getfixturevalue("corpus_index")[0])}
    app = create_app({**config, "TESTING": False})  # a 500 is answered as a visitor sees it
    return app.test_client()


@pytest.mark.parametrize("path", PATHS_200)
def test_nul_in_filters_fields_and_queries_is_a_200(client, path) -> None:
    r = client.get(path)
    assert r.status_code == 200, (path, r.get_data(as_text=True)[:300])


@pytest.mark.parametrize("path", PATHS_404)
def test_nul_in_a_document_id_is_a_404(client, path) -> None:
    r = client.get(path)
    assert r.status_code == 404, (path, r.get_data(as_text=True)[:300])


def _total(client, query: str) -> int:
    r = client.get("/api/search?" + query)
    assert r.status_code == 200, query
    return r.get_json()["total"]


def test_a_value_with_nul_matches_nothing_and_its_negation_everything(client) -> None:
    """As in the embedded index: no stored value holds a NUL, so a filter with one selects nothing."""
    everything = _total(client, f"q={Q}")
    assert everything > 0
    assert _total(client, f"q={Q}&province=%00") == 0 == _total(client, f"q=province:%00+{Q}")
    assert _total(client, f"q=NOT+province:%00+{Q}") == everything == _total(client, f"q=province:%00+OR+{Q}")
    assert _total(client, f"q={Q}%00") == everything, "the query's NUL is removed like any control character"
