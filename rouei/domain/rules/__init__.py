"""Legal rules, one module per obligation, discovered by folder (see engine.py)."""
