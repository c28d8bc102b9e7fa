"""Benchmark scripts (never collected by pytest)."""
