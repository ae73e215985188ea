"""The input files read into raw tables: the contract's schema, encodings, size limits, hygiene of cells, CSV and Excel readers."""
