"""The catalogue: the source of truth for every record (Django models and migrations)."""
