"""One cell's value read: text, numbers and Excel number formats, Japanese eras and fiscal years, colours."""
