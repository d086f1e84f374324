"""Pinyin for labels and slugs (build time only: pypinyin is slow to import)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence

from kg.vocab import slugify

# The syllables of texts met before, by (tones, text): a build's cache keeps those the build
# used for the next build (kg.cache_files.keep_pinyin), so that a rebuild whose labels are all
# known never imports pypinyin (its dictionaries take 0.2-0.5 s to load).
_known: dict[tuple[bool, str], tuple[str, ...]] = {}
_used: dict[tuple[bool, str], tuple[str, ...]] = {}  # looked up since the last used(clear=True)

# Words of the genre whose reading pypinyin's phrase dictionary gets wrong (重 of 重大, not of
# 重复; 长 of 长期, not of 镇长). Loaded into its dictionary, so that its segmenter keeps them whole.
PHRASES: dict[str, str] = {
    "三重一大": "sān zhòng yī dà",
    "长效": "cháng xiào",
    "长三角": "cháng sān jiǎo",
    "藏式": "zàng shì",  # Tibetan style, not hidden
    "银发": "yín fà",  # the elderly (银发食堂)
    "消薄": "xiāo bó",  # 清零消薄: lifting weak village collectives
    "为王": "wéi wáng",  # 项目为王: projects come first
    "清脏": "qīng zāng",  # 清脏、治乱、增绿: clearing dirt
    "重走": "chóng zǒu",  # 重走长征路: walking it again
}
# Readings the words around a character decide: (pattern, its group for the character, reading).
_HAN = "\u3400-\u4dbf\u4e00-\u9fff"
_AS = "核心|中心|主线|主导|主体|重点|抓手|引领|统领|导向|龙头|目标|载体|依托|纽带|基础|根本|宗旨|牵引"
CONTEXT: tuple[tuple[re.Pattern[str], int, str], ...] = (
    (re.compile(r"([^\W\d_])(尽)\1"), 2, "jìn"),  # 应收尽收, 能装尽装: every one that should (can) be
    (re.compile(r"应(种)尽种"), 1, "zhòng"),  # 应种尽种: vaccination, 种 as in 接种
    (re.compile(r"应种尽(种)"), 1, "zhòng"),
    (
        re.compile(rf"(?<![所可予加足难得])以(?![来上下前后内外及])[{_HAN}]{{1,12}}?(为)(?:{_AS}|主)"),
        1,
        "wéi",
    ),  # 以人民为中心
    (re.compile(rf"(为)(?:本|先|要)(?![{_HAN}])"), 1, "wéi"),  # 民生为本, 保护为先
    # 为人民: for (not 改为民宿, 分为民营: become)
    (re.compile(r"(?<![成作称视认变化转选评定改分划归列])(为)(?:人民|群众|居民|百姓|企业|民)"), 1, "wèi"),
    (re.compile(rf"(一)[{_HAN}]一[{_HAN}]"), 1, "yī"),  # 一点一案 as 一户一策: 一 as written, no sandhi
    (re.compile(rf"[二两三四五六七八九十][{_HAN}](一)"), 1, "yī"),  # 三会一代理, 四会一代办: counted, yī
    (re.compile(r"(曾)(?=家|庄|厝|都|坝)"), 1, "zēng"),  # 曾家湾: a surname in a place's name, not "once"
    (re.compile(r"礼[、]?(乐)[、]?射"), 1, "yuè"),  # 礼、乐、射、御、书、数: the six arts, music
)
_loaded = False


def _lazy_pinyin(text: str, tones: bool) -> list[str]:
    """pypinyin's items for ``text`` (one per Chinese character, one per run of other
    characters) with the genre's readings above."""
    global _loaded
    from pypinyin import Style, lazy_pinyin, load_phrases_dict
    from pypinyin.constants import RE_HANS

    if not _loaded:
        load_phrases_dict({w: [[s] for s in r.split()] for w, r in PHRASES.items()})
        _loaded = True
    style = Style.TONE if tones else Style.NORMAL
    items = lazy_pinyin(text, style=style, errors="default", v_to_u=True)
    starts = [i for i, c in enumerate(text) if RE_HANS.match(c) or i == 0 or RE_HANS.match(text[i - 1])]
    if len(starts) == len(items):  # else pypinyin split the text otherwise: leave its readings
        at = {start: n for n, start in enumerate(starts)}
        for pattern, group, reading in CONTEXT:
            for m in pattern.finditer(text):
                n = at.get(m.start(group))
                if n is not None:
                    items[n] = reading if tones else strip_tones(reading)
    return items


def syllables(text: str, tones: bool = True) -> list[str]:
    """Pinyin syllables of ``text``; runs of non-Chinese characters stay whole."""
    key = (tones, text)
    known = _known.get(key)
    if known is None:
        out: list[str] = []
        for chunk in _lazy_pinyin(text, tones):
            chunk = chunk.strip()
            if chunk and not all(unicodedata.category(c).startswith("P") for c in chunk):
                out.append(chunk)
        known = _known[key] = tuple(out)
    _used[key] = known
    return list(known)


def remember(known: Mapping[str, Sequence[str]], used: bool = False) -> None:
    """Take syllables worked out elsewhere (:func:`used`'s form) as known; ``used``: as used
    here too (what a worker process looked up for this build)."""
    for key, value in known.items():
        if key[:1] in ("0", "1") and isinstance(value, list | tuple):
            entry = (key[0] == "1", key[1:])
            _known[entry] = tuple(str(v) for v in value)
            if used:
                _used[entry] = _known[entry]


def used(clear: bool = False) -> dict[str, list[str]]:
    """The syllables looked up since the last ``clear``, keyed ``"1" + text`` with tones and
    ``"0" + text`` without (``clear``: then start afresh)."""
    out = {f"{int(tones)}{text}": list(value) for (tones, text), value in _used.items()}
    if clear:
        _used.clear()
    return out


def toned(text: str) -> str:
    """``三会一代理`` → ``sān huì yī dài lǐ``."""
    return " ".join(syllables(text, tones=True))


def strip_tones(pinyin: str) -> str:
    """``sān huì`` → ``san hui`` (ü stays ü → written as v in slugs)."""
    decomposed = unicodedata.normalize("NFD", pinyin)
    plain = "".join(c for c in decomposed if unicodedata.category(c) != "Mn" or c == "\u0308")
    return unicodedata.normalize("NFC", plain)


def slug(text: str) -> str:
    """A readable ASCII slug from pinyin: ``三会一代理`` → ``san-hui-yi-dai-li``."""
    return slugify("-".join(s.replace("ü", "v") for s in syllables(text, tones=False))) or "x"


TONE_MARKS = {"\u0304": 1, "\u0301": 2, "\u030c": 3, "\u0300": 4}


def collation_key(pinyin: str, zh: str) -> tuple[str, tuple[int, ...], str]:
    """Glossary order: toneless pinyin (syllable by syllable), then tones, then the characters.

    ``sān gè shí yǒu`` (三个实有平台) sorts before ``sì fēng`` (四风) because san < si,
    whatever the accented letters' code points say.
    """
    syllables_ = pinyin.lower().split()
    plain = " ".join(strip_tones(s).replace("ü", "v") for s in syllables_)
    tones = []
    for s in syllables_:
        marks = [TONE_MARKS[c] for c in unicodedata.normalize("NFD", s) if c in TONE_MARKS]
        tones.append(marks[0] if marks else 5)
    return plain, tuple(tones), zh
