import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.text import NormText, normalise, sentence_bounds, written


def test_normalise_removes_width_and_spaces():
    assert normalise("( 20 21 年 1 月 1 5 日 )") == "(2021年1月15日)"
    assert normalise("“家门口 ” 服务") == "“家门口”服务"


@given(st.text(alphabet=st.characters(codec="utf-8")) | st.text("aMu15 工\u0301\u0307\u0316\u0323\u1100\u1161\u11a8"))
def test_normtext_maps_back_to_raw(text):
    nt = NormText.of(text, offset=5)
    assert nt.norm == normalise(text)
    for i, ch in enumerate(nt.norm):
        raw = text[nt.starts[i] - 5 : nt.ends[i] - 5]
        assert ch in normalise(raw) or normalise(raw) == ""


@pytest.mark.parametrize(
    ("text", "norm", "at", "span"),
    [
        ("M\u0307", "\u1e40", 0, (0, 2)),  # a combining accent composes with its letter
        ("Gu\u0304o\u0304ng 工", "Gūōng工", 2, (3, 5)),  # decomposed pinyin tone marks
        ("\u1100\u1161\u11a8", "\uac01", 0, (0, 3)),  # conjoining Hangul jamo
        ("a\u0323\u0307b", "\u1ea1\u0307b", 0, (0, 3)),  # a letter and its marks, one piece
        ("15 a\u0316\u0301", "15\u00e1\u0316", 2, (3, 6)),  # a mark that does not compose first
    ],
)
def test_characters_that_compose_map_to_their_whole_span(text, norm, at, span):
    nt = NormText.of(text, offset=3)
    assert nt.norm == normalise(text) == norm
    assert (nt.starts[at] - 3, nt.ends[at] - 3) == span
    assert (nt.starts[0], nt.ends[0]) == (3, 4) or at == 0  # the others keep their own span


def test_sentence_bounds():
    text = "第一句。第二句有术语,还有别的。第三句"
    start = text.index("术语")
    lo, hi = sentence_bounds(text, start, start + 2)
    assert text[lo:hi] == "第二句有术语,还有别的。"


def test_written_keeps_one_space_between_latin_words_only():
    assert written("南头古城（Ｎａｎｔｏｕ　Ａｎｃｉｅｎｔ  City）") == "南头古城(Nantou Ancient City)"
    assert written("20 21 年“五 个 力”") == "2021年“五个力”"
    assert written(" Windows 11 ") == "Windows 11"


@given(st.text(alphabet="ab五 \u3000\t\u200b1Ａ", max_size=30))
def test_written_normalises_to_the_normal_form(text):
    assert normalise(written(text)) == normalise(text)
