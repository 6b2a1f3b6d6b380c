"""Extraction: bytes of a file or fetched page → :class:`indexer.document.Extraction`.

Read as a checklist in :mod:`.pipeline`: decode (:mod:`.decoding`, :mod:`.plausibility`) → parse HTML
(:mod:`.html`), or read an office or fixed-layout file (:mod:`.formats`: Word, WPS, RTF, PDF with OCR,
OFD, spreadsheets) → clean lines (:mod:`.cleaning`, :mod:`.repair`) → assemble documents with their metadata
(:mod:`.documents`, :mod:`.metadata`, :mod:`.regions`) and sections (:mod:`.sections`). Patterns are data
in :mod:`.rules`. Nothing here touches the index.
"""
