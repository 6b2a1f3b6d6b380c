-- 0003: relations (indexer/relations, indexer/pg/relations.py): issuers as a facet column, each document's keys
-- (发文字号, title, draft/final and series keys), its references with their resolved targets, and statuses.

-- The issuer facet, normalised as indexer.relations.issuers.issuer_value does (white space removed, names split on
-- 、，,;；/, each once, joined with 、).
ALTER TABLE tz_sections ADD COLUMN issuer text NOT NULL DEFAULT '';
UPDATE tz_sections s SET issuer = v.issuer FROM (
    SELECT d.doc, coalesce((SELECT string_agg(x, '、' ORDER BY first) FROM (
        SELECT x, min(ord) AS first FROM unnest(regexp_split_to_array(
            regexp_replace(d.meta ->> 'issuer', '[[:space:]　]+', '', 'g'), '[、，,;；/]+')) WITH ORDINALITY AS t(x, ord)
        WHERE x <> '' GROUP BY x) names), '') AS issuer
    FROM tz_documents d WHERE coalesce(d.meta ->> 'issuer', '') <> '') v
WHERE s.doc = v.doc;

-- Per document, written with it (keys are 64-bit hashes, signed; 0: none).
-- date_lo/date_hi: the document's date bounds (YYYYMMDD, 0: undated); ident: its doc_id hashed (ties).
CREATE TABLE tz_doc_keys (
    doc         bigint PRIMARY KEY REFERENCES tz_documents ON DELETE CASCADE,
    docno_key   bigint NOT NULL,
    title_key   bigint NOT NULL,
    version_key bigint NOT NULL,
    series_key  bigint NOT NULL,
    flags       smallint NOT NULL,
    ident       bigint NOT NULL,
    date_lo     integer NOT NULL,
    date_hi     integer NOT NULL
);
CREATE INDEX tz_doc_keys_docno ON tz_doc_keys (docno_key) WHERE docno_key <> 0;
CREATE INDEX tz_doc_keys_version ON tz_doc_keys (version_key) WHERE version_key <> 0;
CREATE INDEX tz_doc_keys_series ON tz_doc_keys (series_key) WHERE series_key <> 0;

-- Per reference, written with its document; target is resolved after each commit (NULL: unresolved).
CREATE TABLE tz_references (
    doc        bigint NOT NULL REFERENCES tz_documents ON DELETE CASCADE,
    ordinal    integer NOT NULL,
    kind       smallint NOT NULL,
    span_start integer NOT NULL,
    span_end   integer NOT NULL,
    sent_start integer NOT NULL,
    sent_end   integer NOT NULL,
    docno_key  bigint NOT NULL,
    title_key  bigint NOT NULL,
    year       smallint NOT NULL,
    eff_date   integer NOT NULL,
    target     bigint REFERENCES tz_documents ON DELETE SET NULL,
    PRIMARY KEY (doc, ordinal)
);
CREATE INDEX tz_references_target ON tz_references (target) WHERE target IS NOT NULL;
CREATE INDEX tz_references_docno ON tz_references (docno_key) WHERE docno_key <> 0;
CREATE INDEX tz_references_title ON tz_references (title_key) WHERE title_key <> 0;

-- A document's status (only documents a statement marks): 1 abolished, 2 amended, and the deciding reference.
CREATE TABLE tz_doc_status (
    doc         bigint PRIMARY KEY REFERENCES tz_documents ON DELETE CASCADE,
    status      smallint NOT NULL,
    ref_doc     bigint NOT NULL REFERENCES tz_documents ON DELETE CASCADE,
    ref_ordinal integer NOT NULL
);
CREATE INDEX tz_doc_status_status ON tz_doc_status (status);
