"""The analyses against brute force, on both backends: on a small corpus with planted wordings
(tests/analytics_corpus.py), every figure is recomputed directly from the documents' normalised text —
n-gram counts, document frequencies and maximality of the wordings, "new in a period", collocate counts
with their MI and log-likelihood, keyness LL and %DIFF, dispersion positions, per-year sizes and DP."""

from __future__ import annotations

import math
import re
from collections import Counter

import pytest
from analytics_corpus import LEFT, LONG, NEW, NODE, OLD, PART, RIGHT, SHANGHAI_ONLY, TWELVE, texts
from conftest import BACKENDS

from indexer.research import collocates as colloc
from indexer.research.dispersion import dispersion
from indexer.research.keyness import keyness
from indexer.research.wordings import RARE, wordings
from indexer.search.service import SearchParams
from indexer.text.segment import cut
from indexer.text.terms import is_word

HAN = re.compile(r"[\u4e00-\u9fff]+")
COVER = 0.9


@pytest.fixture(scope="module")
def analytics_index(tmp_path_factory):
    import analytics_corpus

    return analytics_corpus.build(tmp_path_factory.mktemp("analytics"))


@pytest.fixture(scope="module")
def analytics_db(pg_server, tmp_path_factory):
    import analytics_corpus

    return str(analytics_corpus.build(tmp_path_factory.mktemp("analytics_db"), pg_server.database()))


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request):
    from indexer.search.backends import open_backend

    target = request.getfixturevalue("analytics_db" if request.param == "postgresql" else "analytics_index")
    svc = open_backend(target, budget_seconds=30)
    yield svc
    svc.close()


@pytest.fixture(scope="module")
def docs(backend):
    return texts(backend)


# ---------------------------------------------------------------------------------------------- oracle
def gram_counts(full_texts: list[str], hi: int = 13) -> tuple[Counter[str], Counter[str]]:
    """(occurrences, documents) of every run of 4…hi Chinese characters, overlapping ones included."""
    occ: Counter[str] = Counter()
    df: Counter[str] = Counter()
    for text in full_texts:
        seen = set()
        for run in HAN.findall(text):
            for n in range(4, hi + 1):
                for i in range(len(run) - n + 1):
                    occ[run[i:i + n]] += 1
                    seen.add(run[i:i + n])
        df.update(seen)
    return occ, df


def shown(candidates: set[str], occ: Counter[str]) -> dict[str, bool]:
    """Maximal candidates (no superstring of ≤ 12 characters has 90 % of the occurrences; at 12, no left
    extension does) → whether each runs on past 12 characters in most uses."""
    best: Counter[str] = Counter()
    for g, n in occ.items():
        if len(g) <= 12 and n >= 2:
            for m in range(4, len(g)):
                for i in range(len(g) - m + 1):
                    best[g[i:i + m]] = max(best[g[i:i + m]], n)
    out = {}
    for w in candidates:
        if len(w) < 12:
            if best[w] < COVER * occ[w]:
                out[w] = False
            continue
        left = max((n for g, n in occ.items() if len(g) == 13 and g[1:] == w), default=0)
        right = max((n for g, n in occ.items() if len(g) == 13 and g[:-1] == w), default=0)
        if left < COVER * occ[w]:
            out[w] = right >= COVER * occ[w]
    return out


def full(pieces: list[str]) -> str:
    return "".join(pieces)


# ---------------------------------------------------------------------------------------------- wordings
def test_frequent_wordings_are_the_maximal_ngrams_counted_by_brute_force(backend, docs) -> None:
    all_texts = [full(p) for _, p in docs.values()]
    occ, df = gram_counts(all_texts)
    expected = shown({g for g in df if len(g) <= 12 and df[g] >= 3}, occ)
    found = wordings(backend, SearchParams(mode="exact"), min_documents=3, n=1000)
    assert found.documents == found.analysed == len(docs) and not found.partial
    assert {w.text: (w.documents, w.occurrences, w.truncated) for w in found.wordings} == {
        w: (df[w], occ[w], t) for w, t in expected.items()}
    keys = [(w.documents, w.occurrences, w.length) for w in found.wordings]
    assert keys == sorted(keys, reverse=True)
    texts_found = {w.text for w in found.wordings}
    assert {LONG, PART, NEW, OLD, NODE, SHANGHAI_ONLY} <= texts_found  # planted ones
    assert LONG[:5] not in texts_found and LONG[1:] not in texts_found  # covered by LONG in all their uses
    assert TWELVE[:12] in texts_found and TWELVE[1:13] not in texts_found  # once, by its first 12 characters
    assert next(w for w in found.wordings if w.text == TWELVE[:12]).truncated
    assert all(not HAN.sub("", w.text) for w in found.wordings)  # punctuation-free


def test_new_wordings_of_a_period_by_brute_force(backend, docs) -> None:
    period = [full(p) for d, p in docs.values() if "2018" <= d.date[:4] <= "2022"]
    before = [full(p) for d, p in docs.values() if d.date[:4] < "2018"]
    occ_b, df_b = gram_counts(period)
    _, df_a = gram_counts(before)
    frequent = {g for g in df_b if len(g) <= 12 and df_b[g] >= 3}
    new = {w for w in shown(frequent, occ_b) if df_a[w] / len(before) <= RARE * df_b[w] / len(period)}
    found = wordings(backend, SearchParams(mode="exact", date_from="2018-01-01", date_to="2022-12-31"), "new",
                     min_documents=3, n=1000)
    assert (found.documents, found.documents_before) == (len(period), len(before))
    assert {w.text: (w.documents, w.documents_before) for w in found.wordings} == {
        w: (df_b[w], df_a[w]) for w in new}
    assert NEW in new and df_a[NEW] == 1  # rare before, not absent
    assert OLD not in {w.text for w in found.wordings}


def test_wordings_of_a_search_and_filters(backend, docs) -> None:
    shanghai = [full(p) for d, p in docs.values() if d.region == "上海"]
    occ, df = gram_counts(shanghai)
    found = wordings(backend, SearchParams(mode="exact", province="上海"), min_documents=2, n=1000)
    assert found.documents == len(shanghai)
    assert {w.text: w.documents for w in found.wordings} == {
        w: df[w] for w in shown({g for g in df if len(g) <= 12 and df[g] >= 2}, occ)}
    holding = [full(p) for _, p in docs.values() if NODE in full(p)]
    assert wordings(backend, SearchParams(q=NODE, mode="exact"), min_documents=2).documents == len(holding)


# ---------------------------------------------------------------------------------------------- collocates
def _context_windows(text: str, unit: str, span: int) -> list[tuple[list[str], list[str]]]:
    """Windows around every occurrence of NODE, computed directly from a document's continuous text."""
    width = span if unit == "char" else 4 * span + 2
    text = text.replace("\x01", " ")
    out = []
    at = text.find(NODE)
    while at != -1:
        left, right = text[max(0, at - width):at], text[at + len(NODE):at + len(NODE) + width]
        left_cut, right_cut = len(left) == width and " " not in left, len(right) == width and " " not in right
        left, right = left.split(" ")[-1], right.split(" ")[0]
        if unit == "char":
            out.append(([c for c in left if HAN.match(c)], [c for c in right if HAN.match(c)]))
        else:
            lt, rt = cut(left), cut(right)
            lt = lt[1:] if left_cut and lt else lt
            rt = rt[:-1] if right_cut and rt else rt
            out.append(([t for t in lt if is_word(t)][-span:], [t for t in rt if is_word(t)][:span]))
        at = text.find(NODE, at + 1)
    return out


def _corpus(docs, unit: str) -> Counter[str]:
    counts: Counter[str] = Counter()
    for _, pieces in docs.values():
        if unit == "char":
            counts.update(c for c in full(pieces) if HAN.match(c))
        else:
            for piece in pieces:
                counts.update({w: min(n, 255) for w, n in Counter(cut(piece)).items() if is_word(w)})
    return counts


@pytest.mark.parametrize("unit", ["word", "char"])
def test_collocates_against_a_direct_computation(backend, docs, unit) -> None:
    span = 4
    left: Counter[str] = Counter()
    right: Counter[str] = Counter()
    for _, pieces in docs.values():
        for lw, rw in _context_windows(full(pieces), unit, span):
            left.update(lw)
            right.update(rw)
    r1 = sum(left.values()) + sum(right.values())
    corpus = _corpus(docs, unit)
    n = sum(corpus.values())
    found = colloc.collocates(backend, SearchParams(q=NODE, mode="exact"), unit, span, min_frequency=2, n=1000)
    assert (found.window_tokens, found.corpus_tokens) == (r1, n)
    assert found.occurrences == sum(full(p).count(NODE) for _, p in docs.values())
    both = left + right
    assert {c.text: (c.frequency, c.left, c.right, c.corpus_frequency) for c in found.collocates} == {
        u: (f, left[u], right[u], corpus[u]) for u, f in both.items() if f >= 2}
    for c in found.collocates:
        o11, c1 = c.frequency, corpus[c.text]
        e11 = r1 * c1 / n
        table = [(o11, r1 * c1 / n), (r1 - o11, r1 * (n - c1) / n), (c1 - o11, (n - r1) * c1 / n),
                 (n - r1 - c1 + o11, (n - r1) * (n - c1) / n)]
        ll = 2 * sum(o * math.log(o / e) for o, e in table if o > 0)
        assert c.mi == pytest.approx(math.log2(o11 / e11), abs=1e-3)
        assert c.log_likelihood == pytest.approx(ll, abs=1e-3)
        assert c.expected == pytest.approx(e11, abs=1e-3)
    lls = [c.log_likelihood for c in found.collocates]
    assert lls == sorted(lls, reverse=True)
    top = {c.text for c in found.collocates[:3]}
    planted = set(cut(LEFT)) | set(cut(RIGHT)) if unit == "word" else set(LEFT[-1] + RIGHT[0])
    assert planted & top


def test_concordance_filtered_to_a_collocate(backend, docs) -> None:
    from indexer.research.concordance import Near, concordance

    word = cut(RIGHT)[0]
    near = Near(colloc.near("word", 4, word), colloc.context_width("word", 4))
    lines = concordance(backend, SearchParams(q=NODE, mode="exact"), 30, "date", 1, 200, near=near)
    expected = sum(1 for _, p in docs.values() for lw, rw in _context_windows(full(p), "word", 4)
                   if word in lw or word in rw)
    assert lines.total == len(lines.lines) == expected > 0
    assert all(word in line.right or word in line.left for line in lines.lines)
    assert all(len(line.left) <= 30 and len(line.right) <= 30 for line in lines.lines)


# ---------------------------------------------------------------------------------------------- keyness
def _ll(a: float, b: float, c: float, d: float) -> float:
    e1, e2 = c * (a + b) / (c + d), d * (a + b) / (c + d)
    return 2 * ((a * math.log(a / e1) if a else 0) + (b * math.log(b / e2) if b else 0))


def test_keyness_of_wordings_against_brute_force(backend, docs) -> None:
    target = [full(p) for d, p in docs.values() if d.region == "上海"]
    rest = [full(p) for d, p in docs.values() if d.region != "上海"]
    occ_a, df_a = gram_counts(target)
    occ_b, df_b = gram_counts(rest)
    c, d = sum(sum(map(len, HAN.findall(t))) for t in target), \
        sum(sum(map(len, HAN.findall(t))) for t in rest)
    candidates = {g for g in set(df_a) | set(df_b) if len(g) <= 12 and (df_a[g] >= 3 or df_b[g] >= 3)}
    maximal = shown(candidates, occ_a + occ_b)
    found = keyness(backend, SearchParams(mode="exact", province="上海"), None, "wording", min_frequency=3, n=500)
    assert (found.target.documents, found.reference.documents) == (len(target), len(rest))
    assert (found.target.size, found.reference.size) == (c, d)
    expected = {}
    for w in maximal:
        a, b = occ_a[w], occ_b[w]
        ll = _ll(a, b, c, d)
        if a + b >= 3 and ll >= 3.84:
            expected[w] = (a, b, round(ll, 2), None if b == 0 else round((a / c - b / d) * 100 / (b / d), 1))
    got = {k.text: (k.frequency, k.reference_frequency, round(k.log_likelihood, 2),
                    None if k.percent_diff is None else round(k.percent_diff, 1)) for k in found.over + found.under}
    assert got == expected
    assert SHANGHAI_ONLY in {k.text for k in found.over}
    assert all(k.frequency * d > k.reference_frequency * c for k in found.over)
    assert all(k.frequency * d < k.reference_frequency * c for k in found.under)


def test_keyness_of_words_between_periods(backend, docs) -> None:
    def words(pred) -> Counter[str]:
        out: Counter[str] = Counter()
        for doc, pieces in docs.values():
            if pred(doc.date[:4]):
                for piece in pieces:
                    out.update({w: min(n, 255) for w, n in Counter(cut(piece)).items() if is_word(w)})
        return out

    a, b = words(lambda y: y >= "2018"), words(lambda y: y <= "2017")
    c, d = sum(a.values()), sum(b.values())
    found = keyness(backend, SearchParams(mode="exact", date_from="2018-01-01"),
                    SearchParams(mode="exact", date_to="2017-12-31"), "word", min_frequency=5, n=500)
    assert (found.target.size, found.reference.size) == (c, d)
    expected = {w for w in set(a) | set(b) if a[w] + b[w] >= 5 and _ll(a[w], b[w], c, d) >= 3.84}
    assert {k.text for k in found.over + found.under} == expected
    for k in found.over + found.under:
        assert (k.frequency, k.reference_frequency) == (a[k.text], b[k.text])
        assert k.log_likelihood == pytest.approx(_ll(a[k.text], b[k.text], c, d), abs=1e-3)
    assert "全新" in {k.text for k in found.over} or "品牌" in {k.text for k in found.over}


# ---------------------------------------------------------------------------------------------- dispersion
def test_dispersion_positions_years_and_dp(backend, docs) -> None:
    truth = {}
    for doc, pieces in docs.values():
        text = full(pieces)
        offsets = [m.start() for m in re.finditer(f"(?={NODE})", text)]
        truth[doc.doc_id] = (doc, len(text), offsets)
    found = dispersion(backend, SearchParams(q=NODE, mode="exact"), per_page=500)
    using = {k: v for k, v in truth.items() if v[2]}
    assert found.total == sum(len(v[2]) for v in using.values()) and found.documents == len(using)
    assert {i.doc_id: (i.chars, i.offsets) for i in found.items} == {k: (n, o) for k, (_, n, o) in using.items()}
    for i in found.items:
        assert i.positions == [round(o / i.chars, 6) for o in i.offsets]
    total_chars = sum(n for _, n, _ in truth.values())
    assert (found.all_documents, found.chars) == (len(truth), total_chars)
    dp = 0.5 * sum(abs(len(o) / found.total - n / total_chars) for _, n, o in truth.values())
    assert found.dp == pytest.approx(dp, abs=1e-5)
    years = Counter(int(d.date[:4]) for d, _, _ in truth.values())
    assert [(y.year, y.all_documents) for y in found.years] == sorted(years.items())
    for y in found.years:
        occ = sum(len(o) for d, _, o in truth.values() if int(d.date[:4]) == y.year)
        chars = sum(n for d, n, _ in truth.values() if int(d.date[:4]) == y.year)
        assert (y.occurrences, y.chars) == (occ, chars)
        assert y.per_10k == pytest.approx(occ * 10_000 / chars, abs=1e-3)
    tenths = Counter(min(9, int(10 * at / n)) for _, n, o in truth.values() for at in o)
    assert found.deciles == [tenths[k] for k in range(10)]
    dates = [i.date for i in found.items]
    assert dates == sorted(dates)


def test_word_keys_are_named_even_when_forgotten(backend) -> None:
    import numpy as np

    from indexer.search import collection
    from indexer.text.terms import term_key

    counts = backend.word_counts([SearchParams(mode="exact")])[0]
    keys = [int(k) for k in counts.keys[np.argsort(-counts.counts, kind="stable")][:20]]
    collection._NAMES.clear()  # a busy process has forgotten them
    names = backend.word_names(keys)
    assert sorted(names) == sorted(keys) and all(term_key(w) == k for k, w in names.items())


@pytest.mark.parametrize("condition,params", [("province:江苏", {"province": "江苏"}),
                                              ("year:2016..2018", {"date_from": "2016-01-01", "date_to": "2018-12-31"})])
def test_a_wordings_own_field_conditions_are_filters(backend, condition, params) -> None:
    """``NODE province:江苏`` is the wording in 江苏's documents: dispersion's documents, characters, years and DP, and
    the corpus collocates are scored against, are those of the documents under the condition — as with the
    province filter — not of the whole collection."""
    written = SearchParams(q=f"{NODE} {condition}", mode="exact")
    filtered = SearchParams(q=NODE, mode="exact", **params)
    a, b = dispersion(backend, written), dispersion(backend, filtered)
    assert (a.total, a.documents, a.all_documents, a.chars, a.dp, a.undated) == \
        (b.total, b.documents, b.all_documents, b.chars, b.dp, b.undated)
    everything = dispersion(backend, SearchParams(q=NODE, mode="exact"))
    assert a.years == b.years and 0 < a.all_documents < everything.all_documents
    ca, cb = colloc.collocates(backend, written), colloc.collocates(backend, filtered)
    assert ca.corpus_tokens == cb.corpus_tokens
    assert [(c.text, c.log_likelihood) for c in ca.collocates] == [(c.text, c.log_likelihood) for c in cb.collocates]
