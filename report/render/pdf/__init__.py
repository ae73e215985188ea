"""The PDF file: serialised with its tags, variants (PDF/UA-1, PDF/A-3a, PDF/X-4 in CMYK), trim marks, compressed streams and the spread proof."""
