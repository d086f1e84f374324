from hypothesis import given
from hypothesis import strategies as st

from kg.text import NormText, normalise, sentence_bounds


def test_normalise_removes_width_and_spaces():
    assert normalise("( 20 21 年 1 月 1 5 日 )") == "(2021年1月15日)"
    assert normalise("“家门口 ” 服务") == "“家门口”服务"


@given(st.text())
def test_normtext_maps_back_to_raw(text):
    nt = NormText.of(text, offset=5)
    assert nt.norm == normalise(text)
    for i, ch in enumerate(nt.norm):
        raw = text[nt.starts[i] - 5 : nt.ends[i] - 5]
        assert ch in normalise(raw) or normalise(raw) == ""


def test_sentence_bounds():
    text = "第一句。第二句有术语,还有别的。第三句"
    start = text.index("术语")
    lo, hi = sentence_bounds(text, start, start + 2)
    assert text[lo:hi] == "第二句有术语,还有别的。"
