"""Policy relations: who issued a document, its 发文字号, what it cites, what ended or changed its force, and how
two versions differ.

* :mod:`.docno`, :mod:`.issuers`, :mod:`.titles` — 发文字号, issuers and titles as keys (brackets and spaces
  normalised; joint issuers each listed; a draft's and a series' titles);
* :mod:`.extract` — a document's references (《title》 with or without its number, bare numbers, 根据…的通知精神)
  and validity statements (…同时废止, 自…起停止执行, 修订, 代替…), each with its span in the displayed text;
* :mod:`.columns` — what each derived part of the embedded index keeps of them (per document and per
  reference), carried through merges by :func:`.columns.combine`;
* :mod:`.resolve` — references resolved to indexed documents (by number, else by exact title, never to a
  later document), "cited by" and each document's status: one function, run by both backends over the
  documents of one generation (embedded, :mod:`.generation`) or one database (:mod:`indexer.pg.relations`);
* :mod:`.view` — the result objects a document page and the API show (:mod:`.results`), from rows either
  backend reads (:mod:`.embedded` for the index folder, :mod:`indexer.pg.relations_view` for the database);
* :mod:`.compare` — two texts side by side, aligned, with character-level changes; :mod:`.graph` — the small
  citation graph around a document (drawn by ``webui.relations_svg``).
"""
