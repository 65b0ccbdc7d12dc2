"""The terraform extractor."""
