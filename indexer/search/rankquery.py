"""What a query is ranked by: its terms in groups of alternatives, and the whole query as one wording.

Each keyword term contributes its jieba words, each word a ranking term of its own (a word already counted is
not counted again); a quoted phrase is one term. A keyword term with equivalents from the synonym dictionary
(:mod:`indexer.search.synonyms`) is *one* ranking term whose alternatives are the term as typed (its words,
all of them) and each equivalent (one exact wording): BM25 treats a class of synonyms as one term (its
frequency in a section is that of the alternative found most often there, an alternative of several words
counting as often as its rarest word; its document frequency is that of the sections holding any
alternative), so the rare full name 工商业联合会 does not weigh more than the common 工商联 it stands for.
``whole`` — the query's terms written together — earns the phrase boost where a section holds it as exact
wording; it is empty when the query has fewer than two terms of its own (equivalents do not count).

Both backends rank from this one structure (:mod:`indexer.search.ranking`, :mod:`indexer.pg.ranking`).
"""

from __future__ import annotations

from dataclasses import dataclass

from indexer.search.query import Node, Phrase, Words, positive_items
from indexer.text.normalize import normalize
from indexer.text.terms import query_words

Alternative = tuple[str, ...]
Group = tuple[Alternative, ...]


@dataclass(frozen=True)
class RankQuery:
    """The ranking terms, each a group of alternatives of normalised wordings (a plain term: one alternative
    of one wording; see the module docstring), and the phrase-boost wording."""

    groups: tuple[Group, ...]
    whole: str

    @property
    def terms(self) -> list[str]:
        """Every distinct term, in order of first appearance."""
        return list(dict.fromkeys(t for group in self.groups for alt in group for t in alt))

    def __bool__(self) -> bool:
        return bool(self.groups)


def _words(text: str) -> Alternative:
    return tuple(dict.fromkeys(query_words(text))) or ((normalize(text),) if normalize(text) else ())


def rank_query(tree: Node | None) -> RankQuery:
    """The ranking terms of a parsed (and possibly expanded) query; terms under NOT do not count."""
    groups: list[Group] = []
    seen: set[str] = set()
    own: list[str] = []
    texts: list[str] = []
    phrases: list[str] = []
    for item in positive_items(tree):
        if isinstance(item, Phrase):
            term = normalize(item.text)
            phrases.append(item.text)
            own.append(term)
            if term and term not in seen:
                seen.add(term)
                groups.append(((term,),))
            continue
        assert isinstance(item, Words)
        texts.append(item.text)
        words = _words(item.text)
        own.extend(words)
        if item.also:
            alts = tuple(a for a in dict.fromkeys((words, *((normalize(x),) for x in item.also))) if a and all(a))
            seen.update(t for alt in alts for t in alt)
            groups.append(alts)
            continue
        for w in words:
            if w not in seen:
                seen.add(w)
                groups.append(((w,),))
    whole = normalize("".join(phrases + texts)) if len(set(own)) > 1 else ""
    return RankQuery(tuple(groups), whole)
