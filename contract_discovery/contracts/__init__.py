"""Contracts: the model, the human notation, safe YAML loading with positions, the JSON Schema,
inference from scan findings, merging and recorded decisions."""
