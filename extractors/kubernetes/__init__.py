"""The kubernetes extractor."""
