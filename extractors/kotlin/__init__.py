"""The kotlin extractor."""
