"""The call log's model and rules: plain Python, no Home Assistant import."""
