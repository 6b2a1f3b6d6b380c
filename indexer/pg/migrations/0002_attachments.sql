-- 0002: an article finds its attachments (the documents whose meta names it as their parent).
CREATE INDEX tz_documents_parent ON tz_documents ((meta ->> 'parent')) WHERE (meta ->> 'parent') IS NOT NULL;
