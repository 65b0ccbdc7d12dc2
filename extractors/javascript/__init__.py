"""The javascript extractor."""
