"""Chinese numerals as written in headings, enumerations and shorthands."""

from __future__ import annotations

import re

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
UNITS = {"十": 10, "百": 100, "千": 1000}
NUMERAL_CHARS = "".join(DIGITS) + "".join(UNITS)


def cn_to_int(text: str) -> int | None:
    """Convert a Chinese numeral below 10,000 (``十二``, ``二十一``) to an int.

    Returns None when ``text`` is not a numeral.
    """
    if not text or any(ch not in DIGITS and ch not in UNITS for ch in text):
        return None
    total, digit = 0, None
    for ch in text:
        if ch in DIGITS:
            digit = DIGITS[ch]
        else:
            total += (1 if digit is None else digit) * UNITS[ch]
            digit = None
    return total + (digit or 0)


def stated_count(label: str) -> int | None:
    """The number of items a shorthand label announces, or None.

    ``1+4+27+47`` announces 1+4+27+47 = 79 things; ``五个力`` five;
    ``三会一代理`` three plus one; ``一城三指`` one plus three.  Only labels
    made of numbers joined by ``+`` or of Chinese digits each followed by a
    word count: a label like ``七彩南码头`` announces seven.
    """
    if re.fullmatch(r"\d+(\+\d+)+", label):
        return sum(int(n) for n in label.split("+"))
    numerals = [DIGITS[ch] for ch in label if ch in DIGITS]
    if not numerals or any(ch in UNITS for ch in label):
        return None
    return sum(numerals)
