"""Custom integrations of this repository (loaded by Home Assistant)."""
