"""Bulk exports of statements and claims as CSV and NDJSON, streamed: the lists' filters, every row."""
