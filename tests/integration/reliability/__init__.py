"""Reliability and security tests: faults, floods, restarts, hostile input, privacy."""
