"""contract-discovery: extract, infer and check the implicit contracts between services."""

__version__ = "0.1.0"
