"""The Dagger executor: stages as container chains (with main.py, the only dagger importer)."""
