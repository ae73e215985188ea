"""Render: the model to HTML (Jinja2) and PDF (WeasyPrint), with the checks of the laid-out pages."""
