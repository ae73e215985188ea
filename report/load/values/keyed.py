"""A koho.toml value wrong at a key inside its table, so that the message names that key's line."""

from __future__ import annotations


class KeyedError(ValueError):
    """A value error at `keys` inside the checked table (「B」 of [grades], 「令和6年度」「A」, or
    「published」 of [archive]): report.load.project.config names the line and the key path."""

    def __init__(self, message: str, *keys: str) -> None:
        super().__init__(message)
        self.keys = keys
