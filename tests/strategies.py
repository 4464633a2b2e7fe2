"""Hypothesis strategies for what people type at a counter — and what an attacker types.

Vietnamese text is generated from the whole alphabet: every vowel with each of the five tone
marks (and none), đ, upper and lower case, written precomposed (NFC) or decomposed into base
letters and combining marks (NFD), as different keyboards send it. Hostile text mixes in emoji,
control characters (C0, DEL, C1, bidirectional overrides), HTML and SQL fragments and very long
strings.
"""

import unicodedata

from hypothesis import strategies as st

# Huyền, sắc, hỏi, ngã, nặng — and no mark.
TONE_MARKS = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
BASE_VOWELS = "aăâeêioôơuưy"
CONSONANTS = "bcdđghklmnpqrstvx"

VOWELS = tuple(
    unicodedata.normalize("NFC", vowel + mark)
    for vowel in BASE_VOWELS + BASE_VOWELS.upper()
    for mark in TONE_MARKS
)
LETTERS = tuple(sorted(set(VOWELS) | set(CONSONANTS + CONSONANTS.upper())))

HTML_AND_SQL = (
    "<script>alert(1)</script>",
    "'; DROP TABLE intake_dossier; --",
    '" onmouseover="alert(1)',
    "<img src=x onerror=alert(1)>",
    "{{ request.user }}",
    "{% debug %}",
    "%(name)s",
    "&amp;&lt;",
    "Robert'); DELETE FROM postal_assignment; --",
    "1 OR 1=1",
)
SCRIPT = "<script>alert(1)</script>"
EMOJI = ("😀", "👨‍👩‍👧‍👦", "🇻🇳", "❤️", "💩", "🏳️‍🌈")
CONTROL = (
    *(chr(code) for code in range(0x20)),
    "\x7f",
    "\x85",
    "\x9f",
    "\u202a",
    "\u202d",
    "\u202e",
    "\u2066",
    "\u2069",
)
# Not control characters: kept as typed (or folded as white space).
ODD_BUT_PRINTABLE = ("\u00a0", "\u200b", "\u200d", "\ufeff", "\u2028", "\u3000", "ｆｕｌｌ")
LONE_SURROGATES = ("\ud800", "\udfff")


def word() -> st.SearchStrategy[str]:
    return st.text(alphabet=st.sampled_from(LETTERS), min_size=1, max_size=7)


def either_form(text: str) -> st.SearchStrategy[str]:
    return st.sampled_from((unicodedata.normalize("NFC", text), unicodedata.normalize("NFD", text)))


def vietnamese_name() -> st.SearchStrategy[str]:
    """A name of one to five words, NFC or NFD."""
    return st.lists(word(), min_size=1, max_size=5).map(" ".join).flatmap(either_form)


def vietnamese_address() -> st.SearchStrategy[str]:
    number = st.integers(min_value=1, max_value=999).map(str)
    return (
        st.tuples(number, st.lists(word(), min_size=1, max_size=4).map(" ".join), vietnamese_name())
        .map(lambda parts: f"{parts[0]} {parts[1]}, phường {parts[2]}")
        .flatmap(either_form)
    )


def long_text() -> st.SearchStrategy[str]:
    """Around the limits (200, 300) and far past them (10,000 characters)."""
    return st.builds(
        lambda ch, n: ch * n,
        st.sampled_from(("a", "ệ", "e\u0323\u0302", "😀", "<")),
        st.sampled_from((1, 199, 200, 201, 299, 300, 301, 2000, 10_000)),
    )


def hostile_text(*, surrogates: bool = False) -> st.SearchStrategy[str]:
    """Vietnamese, emoji, control characters, HTML and SQL, mixed; or very long.

    Lone surrogates only when asked: no browser or JSON body delivers them to a form.
    """
    bad = CONTROL + LONE_SURROGATES if surrogates else CONTROL
    piece = st.one_of(
        vietnamese_name(),
        st.sampled_from(HTML_AND_SQL),
        st.sampled_from(EMOJI),
        st.sampled_from(bad),
        st.sampled_from(ODD_BUT_PRINTABLE),
        st.sampled_from((" ", "  ", "\t", "\n", "\r\n")),
        st.text(max_size=12),
    )
    return st.one_of(
        st.lists(piece, max_size=6).map("".join),
        long_text(),
        st.sampled_from(HTML_AND_SQL),
    )


def wrong_ids() -> st.SearchStrategy[str]:
    """Citizen ID numbers of every shape, right ones included."""
    digits = st.text(alphabet="0123456789", min_size=0, max_size=15)
    return st.one_of(
        digits,
        st.builds(lambda p, d: p + d, st.sampled_from(("074", "001", "999", "000")), digits),
        st.builds(lambda d: " ".join(d[i : i + 3] for i in range(0, len(d), 3)), digits),
        st.builds(lambda d: ".".join(d[i : i + 4] for i in range(0, len(d), 4)), digits),
        st.sampled_from(
            (
                "０７４１９００１２３４５",  # full-width digits
                "٠٧٤١٩٠٠٠١٢٣٤",  # Arabic-Indic digits
                "-74190001234",
                "7.4190001234e11",
                "074190001234\x00",
                "074 190 001 234 ",
                "07419000123😀",
            )
        ),
        hostile_text(),
    )


def wrong_phones() -> st.SearchStrategy[str]:
    """Phone numbers of every shape, right ones included."""
    digits = st.text(alphabet="0123456789", min_size=0, max_size=14)
    return st.one_of(
        digits,
        st.builds(lambda d: "09" + d, digits),
        st.builds(lambda d: "+84" + d, digits),
        st.builds(lambda d: "84 " + d, digits),
        st.builds(lambda d: "(028) " + d, digits),
        st.sampled_from(
            (
                "0912 345 678",
                "0912.345.678",
                "+84 912 345 678",
                "+84 0912345678",
                "02743 822 123",
                "０９１２３４５６７８",
                "0912345678\x00",
                "0912-345-678 ext. 9",
                "☎ 0912345678",
            )
        ),
        hostile_text(),
    )


def good_ids() -> st.SearchStrategy[str]:
    """Right citizen IDs as people write them: grouped by spaces or dots, padded."""
    digits = st.builds(
        lambda province, century, year, serial: f"{province}{century}{year:02d}{serial:06d}",
        st.sampled_from(("001", "074", "079", "096")),
        st.sampled_from("0123"),
        st.integers(min_value=0, max_value=25),
        st.integers(min_value=0, max_value=999_999),
    )
    return digits.flatmap(
        lambda d: st.sampled_from(
            (d, f"{d[:3]} {d[3:6]} {d[6:]}", f"{d[:4]}.{d[4:8]}.{d[8:]}", f" {d} ")
        )
    )


def good_phones() -> st.SearchStrategy[str]:
    """Right phone numbers as people write them."""
    mobile = st.builds(
        lambda prefix, rest: f"0{prefix}{rest:07d}",
        st.sampled_from(("32", "56", "70", "86", "90", "91", "98")),
        st.integers(min_value=0, max_value=9_999_999),
    )
    return st.one_of(
        mobile.flatmap(
            lambda m: st.sampled_from(
                (m, f"{m[:4]} {m[4:7]} {m[7:]}", f"{m[:4]}.{m[4:7]}.{m[7:]}", "+84" + m[1:])
            )
        ),
        st.just("02743 822 123"),
    )
