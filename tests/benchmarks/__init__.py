"""Tests of the benchmarks' pure parts: statistics, table, JSON, command line (no timing)."""
