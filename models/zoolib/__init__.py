"""Model definitions and export helpers for the recinfer model zoo (see ../README.md)."""
