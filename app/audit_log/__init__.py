"""The audit log's pages and API, on top of every domain: who changed what, and when (read only)."""
