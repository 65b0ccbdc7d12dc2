"""The spring extractor."""
