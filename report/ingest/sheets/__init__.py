"""A city's own sheets read as grids, and what their headers, headings, years and values say (detect)."""
