"""Page numbers read from a query string, for the pages that list rows a page at a time."""

# Beyond this an offset only costs the database a long scan, and past 2**63 it overflows the
# database's integers (a 500 on PostgreSQL); the API's pagination uses the same bound.
MAX_PAGE = 100_000


def page_number(raw: str | None, *, last: int = MAX_PAGE) -> int:
    """The page `raw` asks for, from 1 to `last`.

    A link can be typed or cut: a word, nothing, zero or a negative number is the first page,
    a number past `last` (however long) the last one, never an error.
    """
    text = (raw or "").strip()
    if not text.isascii() or not text.isdigit():
        return 1
    if len(text) > len(str(last)):
        return last
    return min(max(int(text), 1), last)
