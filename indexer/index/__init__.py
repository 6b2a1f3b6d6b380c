"""The index of record: opening, creating and changing it atomically (:mod:`.store`), and importing files
and folders into it (:mod:`.importer`).
"""
