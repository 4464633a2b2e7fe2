"""Vietnamese text helpers: search that ignores diacritics, alike on SQLite and PostgreSQL."""

import unicodedata

# "đ" is a letter of its own in Unicode, not "d" plus a mark, so NFD alone keeps it.
_LETTERS = str.maketrans({"đ": "d", "Đ": "d"})


def fold(text: str) -> str:
    """Lower-case `text`, drop its diacritics and collapse white space.

    `fold("Đăng  ký khai sinh")` is `"dang ky khai sinh"`; a folded copy of each searchable
    column is stored beside it, so a search is a plain `LIKE` the database can index.
    """
    decomposed = unicodedata.normalize("NFD", text.translate(_LETTERS))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.lower().split())
