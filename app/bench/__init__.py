"""Benchmark tooling: load generation and reference apps, run against a server on loopback."""
