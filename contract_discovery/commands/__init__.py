"""One module per CLI command; each exposes ``command`` (a typer-compatible function).

``contract_discovery.cli`` only registers them, so a command's options live beside its code.
"""
