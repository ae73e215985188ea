"""HTML: the document model to one self-contained HTML string (Jinja2 templates, markup, Japanese composition, the grid's sizes, the CSS koho generates)."""
