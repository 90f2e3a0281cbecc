"""Text normalisation for diacritics-insensitive procedure search.

Vietnamese is folded to plain ASCII ("Đăng ký khai sinh" -> "dang ky khai sinh"): decompose, drop the combining
marks, map đ/Đ to d, lower-case, and keep only letters, digits and the dots inside procedure codes.
"""

import re
import unicodedata

_NON_WORD = re.compile(r"[^a-z0-9.]+")


def fold(text: str) -> str:
    """Return `text` without diacritics, lower-cased, words separated by single spaces."""
    if not text:
        return ""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    words = (word.strip(".") for word in _NON_WORD.split(stripped))
    return " ".join(word for word in words if word)


def tokens(text: str) -> list[str]:
    """The distinct folded words of `text`, in their first order."""
    seen: dict[str, None] = {}
    for word in fold(text).split():
        seen.setdefault(word, None)
    return list(seen)


def word_set_key(text: str) -> str:
    """The folded words of `text` sorted: equal for the same words in any order."""
    return " ".join(sorted(tokens(text)))
