"""koho's extensions of WeasyPrint, each installed only when upstream's code is the tested code (its source's SHA-256, checked by guard.py)."""
