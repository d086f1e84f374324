"""Chinese numerals as written in headings, enumerations and shorthands."""

from __future__ import annotations

import re

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
UNITS = {"十": 10, "百": 100, "千": 1000}
# The financial forms (壹、2023年工作总结 / 贰、… / 叁、…), read as numbers where headings are.
FINANCIAL = dict(zip("壹贰貳叁參肆伍陆陸柒捌玖拾佰", "一二二三三四五六六七八九十百", strict=True))
NUMERAL_CHARS = "".join(DIGITS) + "".join(UNITS)
HEADING_CHARS = NUMERAL_CHARS + "".join(FINANCIAL)
# Roman numerals as NFKC writes Ⅰ Ⅱ Ⅲ Ⅳ (I, II, III, IV), to XII.
ROMAN = "XI{0,2}|IX|IV|V?I{1,3}|V"
_ROMAN = {"I": 1, "V": 5, "X": 10}


def heading_number(text: str) -> int | None:
    """A heading's number: Chinese (一, 十二), financial (壹, 拾贰) or Roman (I, IV: NFKC of Ⅰ, Ⅳ)."""
    if text and all(c in _ROMAN for c in text) and re.fullmatch(ROMAN, text):
        values = [_ROMAN[c] for c in text]
        return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))
    return cn_to_int("".join(FINANCIAL.get(c, c) for c in text))


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


def _section(text: str) -> int | None:
    """A numeral below 10,000 written by the rules (一千二百, 三十, 一百零五, 十二), else None:
    十三五 and 二三 are no numbers."""
    total, i, last = 0, 0, 10_000
    while i < len(text):
        digit = None
        if text[i] in DIGITS and text[i] not in "零〇":
            digit, i = DIGITS[text[i]], i + 1
        elif text[i] in "零〇":
            i += 1  # 一百零五: a zero only stands for the places skipped
            continue
        if i < len(text) and text[i] in UNITS:
            unit = UNITS[text[i]]
            if unit >= last:
                return None
            if digit is None and not (unit == 10 and total == 0):
                return None  # only 十 stands alone, and only first (十二, not 一百十)
            total, last, i = total + (1 if digit is None else digit) * unit, unit, i + 1
        elif digit is not None:
            if i != len(text) or last == 1:
                return None  # a digit with no unit ends the numeral
            if last >= 100 and text[i - 2] in UNITS:
                return total + digit * last // 10  # 一千二 is 1,200, 一百五 150 (not 1,002, 105)
            return total + digit
        else:
            return None
    return total if total else None


def cn_number(text: str) -> int | None:
    """A Chinese numeral with 万 and 亿 (一千二百万, 三十亿, 两千, 一百二十), or None when ``text``
    is not one written by the rules."""
    if text in ("百", "千", "万"):  # 百余场, 千余人: one hundred, one thousand
        return {"百": 100, "千": 1000, "万": 10_000}[text]
    if not text:
        return None
    total = 0
    for mark, scale in (("亿", 100_000_000), ("万", 10_000)):
        if mark in text:
            head, _, text = text.partition(mark)
            value = _section(head)
            if value is None or mark in text:
                return None
            total += value * scale
            if len(text) == 1 and text in DIGITS and text not in "零〇":  # 三万五: 35,000
                return total + DIGITS[text] * scale // 10
    if not text:
        return total
    rest = _section(text)
    return None if rest is None else total + rest


def stated_count(label: str) -> int | None:
    """The number of items a shorthand label announces, or None.

    ``1+4+27+47`` announces 1+4+27+47 = 79 things; ``五个力`` five;
    ``三会一代理`` three plus one; ``一城三指`` one plus three.  Only labels
    made of numbers joined by ``+`` or of Chinese digits each followed by a
    word count: a label like ``七彩南码头`` announces seven; ``三个一批`` three.
    """
    if re.fullmatch(r"\d+(\+\d+)+", label):
        return sum(int(n) for n in label.split("+"))
    numerals = [DIGITS[ch] for ch in label if ch in DIGITS]
    if not numerals or any(ch in UNITS for ch in label):
        return None
    ones = re.fullmatch(r"([一二两三四五六七八九])个一[\u4e00-\u9fff]{0,2}", label)
    if ones:  # 三个一批: three of “a batch” (谋划储备一批、开工建设一批、竣工投产一批), 五个一
        return DIGITS[ones.group(1)]
    return sum(numerals)


def year_digits(year: str) -> str:
    """A year in digits: 2018, or 二〇一八 written so."""
    return "".join(str(DIGITS[c]) if c in DIGITS else c for c in year)


def date_number(text: str) -> int:
    """A date's month or day, in digits (01, 1) or in words (十二, 二十六)."""
    return int(text) if text.isdigit() else cn_to_int(text) or 0
