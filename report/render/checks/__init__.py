"""Checks of the laid-out pages before anything is written: preflight (glyphs, text, pages), the fonts' coverage, nothing clipped."""
