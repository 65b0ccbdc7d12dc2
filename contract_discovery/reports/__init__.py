"""Reporters: pure functions ``render(...) -> str``, one module per format."""
