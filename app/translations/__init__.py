"""Translation tables, one module per area (EN and FR dicts with identical keys)."""
