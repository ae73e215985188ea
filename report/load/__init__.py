"""Load: find a project's files, read them, and check every cell into the model."""
