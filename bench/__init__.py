"""Benchmarks against a large generated database (see docs/BENCHMARKS.md)."""
