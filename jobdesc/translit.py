"""Official romanization of Cyrillic names, one table per language.

A name written only in Cyrillic appears in a Latin-script document in the romanization
of the name's own language (the organisation's language):
- Bulgarian: the Streamlined System of the Transliteration Act (Закон за транслитерацията,
  ДВ бр. 19 от 13.03.2009), art. 3 table; "-ия" at the end of a word is "-ia" (art. 4(2)).
- Ukrainian: the table of Cabinet of Ministers Resolution No. 55 of 27 January 2010:
  є, ї, й, ю, я are Ye, Yi, Y, Yu, Ya at the start of a word and ie, i, i, iu, ia elsewhere;
  "зг" is "zgh"; the soft sign and the apostrophe are not rendered.
- Russian: ICAO Doc 9303 (7th ed., part 3), the system of Russian passports since 2013
  (order of the Federal Migration Service No. 320 of 15.10.2012).
"""

from __future__ import annotations

import re

_BG = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z", "и": "i",
    "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s",
    "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sht",
    "ъ": "a", "ь": "y", "ю": "yu", "я": "ya",
}  # fmt: skip
_RU = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "ie", "ы": "y", "ь": "", "э": "e", "ю": "iu", "я": "ia",
}  # fmt: skip
_UK = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie", "ж": "zh",
    "з": "z", "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n",
    "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ю": "iu", "я": "ia", "'": "", "’": "", "ʼ": "",
}  # fmt: skip
_UK_WORD_START = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}

TABLES = {"bg": _BG, "ru": _RU, "uk": _UK}
_WORD = re.compile(r"[\w'’ʼ]+")


def can_romanize(language: str) -> bool:
    return language in TABLES


def romanize(text: str, language: str) -> str:
    """``text`` (Cyrillic, in ``language``) in that language's official Latin form."""
    return _WORD.sub(lambda m: _word(m.group(0), language), text)


def _word(word: str, language: str) -> str:
    table = TABLES[language]
    lower = word.lower()
    if language == "bg" and lower.endswith("ия"):
        pieces = [table.get(c, c) for c in lower[:-2]] + ["i", "a"]
    else:
        pieces = []
        for index, char in enumerate(lower):
            if language == "uk" and index == 0 and char in _UK_WORD_START:
                pieces.append(_UK_WORD_START[char])
            elif language == "uk" and char == "г" and index > 0 and lower[index - 1] == "з":
                pieces.append("gh")
            else:
                pieces.append(table.get(char, char))
    return _recase(word, pieces)


def _recase(word: str, pieces: list[str]) -> str:
    """Carry each source letter's case to its Latin letters: "Ж" -> "Zh", in "ЖЕКОВ" -> "ZH"."""
    upper_word = word.isupper() and len(word) > 1
    out = []
    for char, piece in zip(word, pieces, strict=False):
        if char.isupper():
            piece = piece.upper() if upper_word else piece[:1].upper() + piece[1:]
        out.append(piece)
    out.extend(pieces[len(word) :])
    return "".join(out)
