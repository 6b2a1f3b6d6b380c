"""The bench's queries, drawn from the indexed text itself (the corpus files the bench imported), seeded.

* exact, random: spans of 1–16 characters at random places of random lines (what a reader copies out of a
  document);
* exact, common: the wordings the issue names (统一战线, 发展, 社会主义, 的, 建设。), the 20 most frequent jieba
  words and the 20 most frequent 2–4-character strings of a sample of the text — the wordings staff search
  most, and the slowest for a substring index;
* keyword: 2–3 jieba words of one random line, side by side (what a user types to find that passage).

The texts are the files' lines after the title, normalised the way the index normalises (so a span is a
wording that exists); drawing from files keeps the query set the same for every backend.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from pathlib import Path

NAMED_COMMON = ["统一战线", "发展", "社会主义", "的", "建设。"]
_CJK = re.compile(r"^[\u4e00-\u9fff]+$")


def sample_lines(corpus: Path, lines: int = 4000, seed: int = 11) -> list[str]:
    """Normalised lines (title lines left out) of a seeded sample of the corpus files."""
    from indexer.text.normalize import normalize

    rng = random.Random(seed)
    files = sorted(corpus.glob("*.txt"))
    out: list[str] = []
    for f in rng.sample(files, min(len(files), 400)):
        body = f.read_text(encoding="utf-8").splitlines()[1:]
        for line in body:
            norm = normalize(line)
            if len(norm) >= 4 and '"' not in norm and "\u201c" not in norm:
                out.append(norm)
    rng.shuffle(out)
    return out[:lines]


def exact_random(lines: list[str], count: int = 200, seed: int = 7) -> list[str]:
    """``count`` spans of 1–16 characters (lengths drawn uniformly) at random places."""
    rng = random.Random(seed)
    out: list[str] = []
    while len(out) < count:
        text = rng.choice(lines)
        size = rng.randint(1, 16)
        if len(text) < size:
            continue
        start = rng.randrange(0, len(text) - size + 1)
        out.append(text[start:start + size])
    return out


def exact_common(lines: list[str], words: int = 20, strings: int = 20) -> list[str]:
    """The named common wordings, then the most frequent words and 2–4-character strings (each once)."""
    from indexer.text.segment import cut

    counts: Counter[str] = Counter()
    grams: dict[int, Counter[str]] = {n: Counter() for n in (2, 3, 4)}
    for text in lines:
        counts.update(w for w in cut(text) if len(w) >= 2 and _CJK.match(w))
        for n, counter in grams.items():
            counter.update(text[i:i + n] for i in range(len(text) - n + 1))
    out = list(NAMED_COMMON)
    for w, _ in counts.most_common():
        if len(out) >= len(NAMED_COMMON) + words:
            break
        if w not in out:
            out.append(w)
    share = [strings - 2 * (strings // 3), strings // 3, strings // 3]  # 2-, 3- and 4-character strings
    for n, k in zip((2, 3, 4), share, strict=True):
        taken = 0
        for g, _ in grams[n].most_common():
            if taken >= k:
                break
            if g not in out and '"' not in g:
                out.append(g)
                taken += 1
    return out


def keyword_queries(lines: list[str], count: int = 100, seed: int = 13) -> list[str]:
    """``count`` queries of 2–3 distinct words (two or more CJK characters) of one line, in the line's order."""
    from indexer.text.segment import cut

    rng = random.Random(seed)
    out: list[str] = []
    tries = 0
    while len(out) < count and tries < count * 100:
        tries += 1
        words = list(dict.fromkeys(w for w in cut(rng.choice(lines)) if len(w) >= 2 and _CJK.match(w)))
        k = rng.choice((2, 3))
        if len(words) < k:
            continue
        picked = sorted(rng.sample(range(len(words)), k))
        out.append(" ".join(words[i] for i in picked))
    return out


def query_sets(corpus: Path) -> dict[str, list[str]]:
    """Every query set of the bench (see the module docstring)."""
    lines = sample_lines(corpus)
    return {"exact_random": exact_random(lines), "exact_common": exact_common(lines),
            "keyword": keyword_queries(lines)}
