"""kg.jsontext writes what json.dumps writes (kg/jsontext.py)."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.jsontext import dumps

LEAVES = st.none() | st.booleans() | st.integers() | st.floats() | st.text()
VALUES = st.recursive(
    LEAVES,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=8), inner, max_size=5),
    max_leaves=40,
)


@settings(max_examples=400, deadline=None)
@given(value=VALUES, indent=st.integers(0, 3), sort_keys=st.booleans())
def test_the_same_text_as_json_dumps(value, indent, sort_keys):
    want = json.dumps(value, ensure_ascii=False, indent=indent, sort_keys=sort_keys)
    assert dumps(value, indent, sort_keys=sort_keys) == want


def test_chinese_escapes_and_odd_values_as_json_dumps():
    value = {"zh": "三会一代理\n“引号”\u2028\x00", "n": [1.5, -0.0, 10**20, float("nan")], "t": (1, 2), "k": {1: "x"}}
    assert dumps(value, 2) == json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True)


def test_the_packaged_dataset_file_is_written_the_same(dist):
    text = (dist / "dataset.jsonld").read_text(encoding="utf-8")
    assert dumps(json.loads(text)) + "\n" == text


def test_deep_nesting_and_dict_subclasses_are_left_to_json_dumps():
    from collections import OrderedDict

    deep: list = []
    for _ in range(700):
        deep = [deep]
    assert dumps(deep) == json.dumps(deep, ensure_ascii=False, indent=1, sort_keys=True)

    class Shown(dict):
        def items(self):
            return [("only", 1)]

    for value in (Shown(a=1, b=2), OrderedDict([("b", 1), ("a", 2)])):
        assert dumps({"x": value}) == json.dumps({"x": value}, ensure_ascii=False, indent=1, sort_keys=True)


@settings(max_examples=300, deadline=None)
@given(
    outer=st.dictionaries(st.text(max_size=6), st.lists(VALUES, max_size=4), max_size=4),
    indent=st.integers(0, 3),
)
def test_values_written_earlier_at_their_level_make_the_same_text(outer, indent):
    """A file written from pieces made earlier (Raw, at the depth they sit) reads as if written whole."""
    from kg.jsontext import Raw

    pieces = {k: [Raw(dumps(v, indent, level=2)) for v in items] for k, items in outer.items()}
    want = json.dumps(outer, ensure_ascii=False, indent=indent, sort_keys=True)
    assert dumps(pieces, indent) == want


def test_raw_text_among_values_json_dumps_must_encode_is_refused():
    import pytest

    from kg.jsontext import Raw

    with pytest.raises(ValueError, match="Raw"):
        dumps({1: "non-string key", "a": [Raw("{}")]})
    cycle: list = []
    cycle.append(cycle)
    with pytest.raises(ValueError, match="Circular"):
        dumps(cycle)
