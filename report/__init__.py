"""koho: Japanese municipal manifesto-progress data to print-ready newsletter PDFs."""

__version__ = "0.1.0"
