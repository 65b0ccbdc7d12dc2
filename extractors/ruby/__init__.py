"""The ruby extractor."""
