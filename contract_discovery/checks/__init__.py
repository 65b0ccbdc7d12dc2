"""Cross-service checks: one module per rule family, registered with stable ids (see base.py)."""
