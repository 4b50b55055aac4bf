"""The data layer: contract, reading, validation, descriptor, privacy, REFI-QDA, loading."""
