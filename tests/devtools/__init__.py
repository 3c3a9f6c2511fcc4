"""Tests of the developer tooling (devtools/): its pure parts, no Home Assistant."""
