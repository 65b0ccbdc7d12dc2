"""The go extractor."""
