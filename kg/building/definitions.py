"""Curated definitions outside their own subdistrict.

An editorial definition in terms.yaml says what a term is, then often what the curation's own
report did with it (``…;报告中全年调处各类矛盾纠纷1495件`` / ``In the report …``). A build with no
report of that subdistrict keeps only the first part: the report it speaks of is not there.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_ZH_SEGMENT = re.compile(r"[^。;；]*[。;；]|[^。;；]+$")
_EN_SENTENCE = re.compile(r"(?<=[.;])\s+")
# "(报告未列明是哪六类)", "(the report does not say which)": an aside about the report.
_ZH_ASIDE = re.compile(r"[（(][^（）()]*报告[^（）()]*[）)]")
_EN_ASIDE = re.compile(r"\s*\([^()]*\bthe report\b[^()]*\)", re.IGNORECASE)
_ZH_REPORT = re.compile(r"(?<!工作)报告")  # 审议街道办事处工作报告 is what a body does, not this report
_EN_REPORT = re.compile(r"\b(?:the|this|its) report\b", re.IGNORECASE)  # not "report them"
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
# Later segments that open on the subdistrict itself speak of the curation's own report.
_ZH_OWN = ("街道", "本街道", "辖区")
_EN_OWN = ("The subdistrict", "In the report", "The report")


def general_part(text: str, lang: str, names: Sequence[str]) -> str:
    """The leading part of ``text`` that holds wherever the term is used: up to the first
    sentence (or ;-clause) that speaks of the report, names the curation's subdistrict
    (``names``) or, after the first, dates what was done. Empty when even the first does."""
    if lang == "zh":
        segments = _ZH_SEGMENT.findall(_ZH_ASIDE.sub("", text))
    else:
        segments = [s for s in _EN_SENTENCE.split(_EN_ASIDE.sub("", text)) if s]
    kept: list[str] = []
    for i, seg in enumerate(segments):
        if _specific(seg, lang, names, first=i == 0):
            break
        kept.append(seg)
    if not kept:
        return ""
    out = ("" if lang == "zh" else " ").join(kept).strip()
    # A kept clause ended by ; ends the definition now.
    if out[-1] in ";；":
        out = out[:-1] + ("。" if lang == "zh" else ".")
    return out


def _specific(seg: str, lang: str, names: Sequence[str], first: bool) -> bool:
    if any(n and n in seg for n in names):
        return True
    if _ZH_REPORT.search(seg) if lang == "zh" else _EN_REPORT.search(seg):
        return True
    if first:
        # A first sentence on the subdistrict (街道集体所有的资产) says what the term is.
        return False
    if lang == "en" and re.search(r"\bthe subdistrict\b", seg):
        return True  # During the epidemic the subdistrict promoted it…
    return seg.lstrip().startswith(_ZH_OWN if lang == "zh" else _EN_OWN) or bool(_YEAR.search(seg))
