"""Language extractors. Each subpackage exposes ``EXTRACTOR`` (see ``extractors.base``)."""
