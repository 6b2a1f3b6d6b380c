"""tzsearch indexer: import, clean and index Chinese 统战 documents, and search them.

Stages, each its own module: decoding (bytes → text) → htmlextract (page → body lines) → cleaning
(noise, spam, damage) → structure/metadata/regions/sections (documents) → analysis/schema/store (the
Whoosh index) → search (queries, facets, snippets). ``pipeline`` runs the import stages as a checklist;
``cli`` is the command line.
"""
