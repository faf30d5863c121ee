"""Fold a name or query in Kazakh, Russian or English, in any script, to one search key."""

from __future__ import annotations

import re
import unicodedata

# Cyrillic (Russian and Kazakh letters) to a plain Latin skeleton. Kazakh-specific letters fold
# onto their nearest Russian ones first (ә→а, қ→к, ...), so "Бәйтерек" and "Байтерек" agree.
_CYRILLIC = {
    "а": "a", "ә": "a", "б": "b", "в": "v", "г": "g", "ғ": "g", "д": "d", "е": "e", "ё": "e",
    "ж": "j", "з": "z", "и": "i", "й": "i", "і": "i", "к": "k", "қ": "k", "л": "l", "м": "m",
    "н": "n", "ң": "n", "о": "o", "ө": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ұ": "u", "ү": "u", "ф": "f", "х": "h", "һ": "h", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "sh", "ъ": "", "ы": "i", "ь": "", "э": "e", "ю": "iu", "я": "ia",
}  # fmt: skip
# Latin spellings that mean the same sound in common transliterations and in the Kazakh Latin
# alphabet (2021): "Zhastar"/"Jastar", "Khan"/"Han", "Bayterek"/"Baiterek", "Qazaq"/"Kazak".
_LATIN_BEFORE_ACCENTS = {"ş": "sh", "ç": "ch", "ı": "i"}
_LATIN_DIGRAPHS = (("shch", "sh"), ("zh", "j"), ("kh", "h"), ("yu", "iu"), ("ya", "ia"))
_LATIN_LETTERS = str.maketrans({"y": "i", "q": "k", "w": "v", "x": "ks"})
_NOT_WORD = re.compile(r"[^0-9a-z]+")
_REPEATED_I = re.compile(r"i{2,}")
# A word's first "е" is said "ye" and often spelled so: "Yesil"/"Есіл", "Mangilik Yel"/"Ел".
_INITIAL_YE = re.compile(r"\bie")


def fold(text: str) -> str:
    """Return a search key: lower case, Latin letters, one space between words.

    Parameters
    ----------
    text
        A name or query in Kazakh, Russian or English, in Cyrillic or Latin letters.

    Returns
    -------
    str
        The folded key, for example ``"baiterek"`` for "Бәйтерек", "Байтерек" and "Baiterek",
        ``"esil"`` for "Есіл" and "Yesil".
    """
    out = unicodedata.normalize("NFC", text).lower()
    out = "".join(_CYRILLIC.get(ch, _LATIN_BEFORE_ACCENTS.get(ch, ch)) for ch in out)
    out = "".join(ch for ch in unicodedata.normalize("NFKD", out) if not unicodedata.combining(ch))
    for long, short in _LATIN_DIGRAPHS:
        out = out.replace(long, short)
    out = _REPEATED_I.sub("i", out.translate(_LATIN_LETTERS))  # "-ый", "-ий", "-y" alike
    return _INITIAL_YE.sub("e", _NOT_WORD.sub(" ", out).strip())
