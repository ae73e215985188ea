"""The web version: a folder a city can upload (semantic HTML, inline SVG charts, subset web fonts, the data as CSV)."""
