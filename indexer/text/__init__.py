"""Text primitives shared by import and search: the one normalisation (with an offset map back to the
original), jieba word segmentation, and the CJK character classes.

Nothing here knows about files, documents or the index; everything that compares text goes through
:func:`indexer.text.normalize.normalize`, so the index and the queries see the same characters.
"""
