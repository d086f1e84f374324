"""The index's per-term mentions files, merged from each report's part (kg/index.py)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.index import _joined
from kg.index_parts import SEPARATOR, mention_line, term_mentions

REPORTS = ["", "a-2021", "a-2022", "b-2021"]  # "": a mention whose container names no report


def _mention(report: str, start: int, quote: str) -> tuple[str, int, str]:
    line = mention_line({"report": report or None, "start": start, "end": start + 2, "quote": quote})
    return (report, start, line)


mention = st.builds(
    _mention, st.sampled_from(REPORTS), st.integers(0, 50), st.sampled_from(["三会一代理", "x,\ny", ""])
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(mention, min_size=1, max_size=6), min_size=1, max_size=4))
def test_a_terms_mentions_are_in_report_then_text_order_however_the_parts_hold_them(parts):
    """Each part's mentions joined in the parts' order where each names one report in turn, and
    sorted again where not: the file is the same as sorting every mention at once."""
    found = [term_mentions(p) for p in parts]
    merged = _joined(found)
    want = [line for _report, _start, line in sorted(m for p in parts for m in p)]
    assert merged.n == len(want)
    assert merged.text.decode("utf-8").split(SEPARATOR.decode()) == want
