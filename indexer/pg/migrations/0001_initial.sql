-- 0001: sources, documents, sections (searchable columns + display text), corpus statistics.
-- See indexer/pg/tokens.py for what each stored column holds and indexer/pg/writer.py for how it is kept.

CREATE TABLE tz_meta (
    key   text PRIMARY KEY,
    value text NOT NULL
);

-- One row per imported file or crawled URL: what known_hashes reads, and the row a writer locks.
CREATE TABLE tz_sources (
    source_key   text PRIMARY KEY,
    content_hash text NOT NULL,
    collection   text NOT NULL,
    added        double precision NOT NULL
);
CREATE INDEX tz_sources_collection ON tz_sources (collection);

-- Documents; of those with identical normalised text (text_hash: the embedded index's doc_hash, as a signed
-- 64-bit integer) only the earliest added is visible.
CREATE TABLE tz_documents (
    doc        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    doc_id     text NOT NULL,
    source_key text NOT NULL REFERENCES tz_sources ON DELETE CASCADE,
    text_hash  bigint NOT NULL,
    added      double precision NOT NULL,
    visible    boolean NOT NULL DEFAULT false,
    sections   integer NOT NULL,
    bytes      bigint NOT NULL,
    title_norm text NOT NULL,
    meta       jsonb NOT NULL
);
CREATE INDEX tz_documents_doc_id ON tz_documents (doc_id);
CREATE INDEX tz_documents_source_key ON tz_documents (source_key);
CREATE INDEX tz_documents_text_hash ON tz_documents (text_hash);

-- What search reads: one narrow row per section (facets and dates denormalised from the document).
CREATE TABLE tz_sections (
    sec        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    doc        bigint NOT NULL REFERENCES tz_documents ON DELETE CASCADE,
    ordinal    integer NOT NULL,
    visible    boolean NOT NULL DEFAULT false,
    year       smallint NOT NULL,
    date_lo    integer NOT NULL,
    date_hi    integer NOT NULL,
    added      double precision NOT NULL,
    province   text NOT NULL,
    city       text NOT NULL,
    doctype    text NOT NULL,
    source     text NOT NULL,
    collection text NOT NULL,
    bytes      integer NOT NULL,
    piece_len  integer NOT NULL,
    start_char integer NOT NULL,
    tf         jsonb,
    piece      text NOT NULL,
    tail       text NOT NULL,
    grams      integer[] NOT NULL
);
-- The gram array, read only through its GIN index, goes out of line first (uncompressed) when a row is long;
-- the piece (read to verify a wording) and the word frequencies (read to rank) stay in the row, compressed
-- only when the row is still long: most rows are read without decompressing anything.
ALTER TABLE tz_sections ALTER grams SET STORAGE EXTERNAL, ALTER piece SET STORAGE MAIN, ALTER tf SET STORAGE MAIN;
CREATE INDEX tz_sections_doc ON tz_sections (doc, ordinal);
CREATE INDEX tz_sections_grams ON tz_sections USING gin (grams);

-- What pages show: the original text of each section.
CREATE TABLE tz_section_texts (
    doc        bigint NOT NULL REFERENCES tz_documents ON DELETE CASCADE,
    ordinal    integer NOT NULL,
    section_id text NOT NULL,
    heading    text,
    body       text NOT NULL,
    PRIMARY KEY (doc, ordinal)
);

-- Visible documents, sections and section bytes (BM25's N and average length), kept as deltas in 16 rows
-- so that concurrent writers rarely wait for each other; a reader sums them.
CREATE TABLE tz_stats (
    shard     smallint PRIMARY KEY,
    documents bigint NOT NULL DEFAULT 0,
    sections  bigint NOT NULL DEFAULT 0,
    bytes     bigint NOT NULL DEFAULT 0
);
INSERT INTO tz_stats (shard) SELECT generate_series(0, 15);

-- Shared passages (indexer/reuse, run after each commit): per distinct text its reuse-text length and
-- fingerprints, per pair of texts (a < b as unsigned keys) the spans they share (rows a0, a1, b0, b1 as int32),
-- and in tz_meta the parameters and the order of the texts the pairs were numbered in.
CREATE TABLE tz_reuse_docs (
    text_hash    bigint PRIMARY KEY,
    length       integer NOT NULL,
    fingerprints bytea NOT NULL
);
CREATE TABLE tz_reuse_pairs (
    a     bigint NOT NULL,
    b     bigint NOT NULL,
    spans bytea NOT NULL,
    PRIMARY KEY (a, b)
);
CREATE INDEX tz_reuse_pairs_b ON tz_reuse_pairs (b);
