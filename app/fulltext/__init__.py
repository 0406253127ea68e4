"""The full-text index (`search_documents`) below every domain: how it is kept current (`indexing`),
the words a reader typed (`words`) and the conditions that find them (`repository`). The search page
and API on top of it are `app.search`."""
