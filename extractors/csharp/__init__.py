"""The csharp extractor."""
