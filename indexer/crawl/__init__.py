"""Crawling: a polite, resumable crawler that feeds fetched pages through the same extraction and
index store as file imports.
"""
