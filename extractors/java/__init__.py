"""The java extractor."""
