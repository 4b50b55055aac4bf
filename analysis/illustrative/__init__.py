"""The seeded generators of the illustrative dataset (never imported by chapters or methods)."""
