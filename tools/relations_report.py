"""What the relations of an index are: references found (by form), the share resolved to indexed documents,
validity statements and the statuses they give, the most cited documents, and how long resolving them and
comparing two 50,000-character texts take. What the README's figures come from::

    python -m tools.relations_report --index var/index [--json]
    python -m tools.relations_report --database postgresql://…
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections import Counter
from pathlib import Path
from typing import Any

from indexer.relations.compare import compare_texts
from indexer.search.backend import SearchBackend
from indexer.search.backends import open_backend, resolve
from indexer.search.service import SearchParams


def _doc_ids(backend: SearchBackend) -> list[str]:
    out: list[str] = []
    page = 1
    while True:
        result = backend.search(SearchParams(group="document", sort="oldest", page=page, per_page=100))
        out += [h.doc_id for h in result.hits]
        if page * 100 >= result.total:
            return out
        page += 1


def _form(text: str, title: str | None, number: str | None) -> str:
    if text.startswith("《"):
        return "《title》 with its number" if number else "《title》"
    return "bare number" if number else "根据…的通知精神"


def _edited(text: str, edits: int, seed: int = 1) -> str:
    """``text`` with ``edits`` seeded random edits: a character changed, a phrase inserted, five deleted."""
    rnd = random.Random(seed)
    chars = list(text)
    for _ in range(edits):
        i, op = rnd.randrange(len(chars)), rnd.random()
        if op < 0.4:
            chars[i] = "改"
        elif op < 0.7:
            chars[i:i] = list("新增内容")
        else:
            del chars[i:i + 5]
    return "".join(chars)


def compare_timing(a: str, b: str) -> dict[str, float]:
    """Seconds to compare two 50,000-character texts: a text with 400 edits of itself (a revision) and two
    different texts (the worst case for the alignment)."""
    out = {}
    for name, other in (("compare_50k_revision_seconds", _edited(a, 400)), ("compare_50k_different_seconds", b)):
        started = time.perf_counter()
        compare_texts(a, other)
        out[name] = round(time.perf_counter() - started, 3)
    return out


def report(backend: SearchBackend) -> dict[str, Any]:
    """The figures (see the module docstring)."""
    ids = _doc_ids(backend)
    forms: Counter[str] = Counter()
    resolved_forms: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    cited: Counter[str] = Counter()
    statuses: Counter[str] = Counter()
    texts: list[tuple[int, str, str]] = []
    for doc_id in ids:
        view = backend.document(doc_id)
        if view is None or view.relations is None:
            continue
        rel = view.relations
        statuses[rel.status.status] += 1
        for c in rel.cites:
            form = _form(c.text, c.title, c.doc_number)
            forms[form] += 1
            kinds[c.kind] += 1
            if c.resolved:
                resolved_forms[form] += 1
        if rel.cited_by_total:
            cited[f"{view.title} ({rel.cited_by_total})"] = rel.cited_by_total
        text = "\n".join(s.text for s in view.sections)
        texts.append((len(text), doc_id, text))
    texts.sort(reverse=True)
    timing = {}
    if len(texts) >= 2:
        timing = compare_timing((texts[0][2] * 3)[:50_000], (texts[1][2] * 3)[:50_000])
    total = sum(forms.values())
    return {"documents": len(ids), "references": total, "resolved": sum(resolved_forms.values()),
            "resolved_share": round(sum(resolved_forms.values()) / total, 3) if total else 0.0,
            "forms": {f: {"found": n, "resolved": resolved_forms[f]} for f, n in forms.most_common()},
            "kinds": dict(kinds), "statuses": dict(statuses), "most_cited": [k for k, _ in cited.most_common(5)],
            **timing}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index")
    parser.add_argument("--database")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    target = resolve(args.index, args.database)
    started = time.perf_counter()
    backend = open_backend(target if isinstance(target, str) else Path(target))
    try:
        figures = report(backend)
    finally:
        backend.close()
    figures["seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(figures, ensure_ascii=False, indent=None if args.json else 2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
