"""Benchmark tooling: a synthetic corpus at newsroom scale, a load generator, and the benchmark run."""

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
"""The PostgreSQL server the benchmark makes its databases on. Here, not in run.py, so that the command
line reads it without importing the run's client (httpx, from the test extra)."""
