"""Benchmark tooling: a synthetic corpus at newsroom scale, a load generator, and the benchmark run."""
