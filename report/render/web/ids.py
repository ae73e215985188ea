"""HTML ids made from the data's free-text measure ids."""


def html_id(text: str) -> str:
    """A measure id as part of an HTML id (ids are free text in the data: 03-1, A-2, 01.1…).

    Injective, so two measures never share an id: letters, digits and "-" stay as they are, every
    other character (and "_" itself) becomes "_HEX_" (01.1 → 01_2e_1, 01_2e1 → 01_5f_2e1). The
    result holds no ".", which separates it from what follows in a chart's prefix.
    """
    return "".join(c if c.isalnum() or c == "-" else f"_{ord(c):x}_" for c in text)
