"""The build's pairing of consecutive reports (kg/building/sequence.py)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kg.building.sequence import report_sequence
from kg.parsing.model import Metadata, Report
from kg.vocab import NMT, IRIs

IRIS = IRIs(None)


def _report(slug: str, place: str | None, period: str | None) -> Report:
    return Report(slug=slug, text="", metadata=Metadata(place=place, period=period))


def _pairs(reports: list[Report]) -> set[tuple[str, str]]:
    found = report_sequence(reports, IRIS)
    assert all(p == NMT.previousReport for _s, p, _o in found)
    cut = len(str(IRIS.report("")))
    return {(str(s)[cut:], str(o)[cut:]) for s, _p, o in found}


def test_each_report_follows_the_latest_earlier_report_of_its_own_place() -> None:
    reports = [
        _report("a-2022", "甲街道", "2022"),
        _report("a-2020", "甲街道", "2020"),
        _report("a-2021", "甲街道", "2021"),
        _report("b-2021", "乙镇", "2021"),
        _report("b-2023", "乙镇", "2023"),
        _report("no-place", None, "2022"),
        _report("no-period", "甲街道", None),
    ]
    assert _pairs(reports) == {("a-2021", "a-2020"), ("a-2022", "a-2021"), ("b-2023", "b-2021")}


def test_two_reports_of_one_period_both_follow_and_are_both_followed() -> None:
    reports = [_report(s, "甲街道", p) for s, p in [("x", "2020"), ("y1", "2021"), ("y2", "2021"), ("z", "2022")]]
    assert _pairs(reports) == {("y1", "x"), ("y2", "x"), ("z", "y1"), ("z", "y2")}


def test_a_single_report_follows_nothing() -> None:
    assert report_sequence([_report("only", "甲街道", "2021")], IRIS) == []


PERIODS = st.sampled_from(["2019", "2020", "2020-2022", "2021", "2021上半年", "2021下半年", None])


@given(st.lists(st.tuples(st.sampled_from(["甲街道", "乙镇", None]), PERIODS), max_size=12))
def test_the_pairs_are_the_queries_former_definition(specs: list[tuple[str | None, str | None]]) -> None:
    """The SPARQL the query used to pair reports with: same place, earlier period, none between."""
    reports = [_report(f"r{i}", place, period) for i, (place, period) in enumerate(specs)]
    placed = [(r.slug, r.metadata.place, r.metadata.sort_period) for r in reports]
    placed = [(s, pl, pe) for s, pl, pe in placed if pl and pe]
    expected = {
        (b, a)
        for a, pa, ta in placed
        for b, pb, tb in placed
        if pa == pb and ta < tb and not any(pc == pa and ta < tc < tb for _c, pc, tc in placed)  # type: ignore[operator]
    }
    assert _pairs(reports) == expected
