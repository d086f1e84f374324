"""Incremental builds: only changed reports are rebuilt, and the files equal a full build's."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.build_cache import CACHE_DIR, MANIFEST
from kg.cli import main
from kg.errors import SourceError
from kg.pipeline import build
from kg.resources import CURATION

CORPUS = Path(__file__).resolve().parent / "fixtures" / "corpus"
SKIP = {CACHE_DIR, "oxigraph"}  # the cache itself, and the store (not part of the byte-identical set)


def _files(out: Path) -> dict[str, bytes]:
    """Every artifact of a build by relative path; the build report without its ``cache`` entry."""
    found: dict[str, bytes] = {}
    for p in sorted(out.rglob("*")):
        rel = p.relative_to(out)
        if p.is_dir() or rel.parts[0] in SKIP:
            continue
        data = p.read_bytes()
        if rel.as_posix() == "build-report.json":
            report = json.loads(data)
            report.pop("cache")
            data = json.dumps(report, sort_keys=True).encode()
        found[rel.as_posix()] = data
    return found


def _same_as_full(out: Path, sources: list[Path], tmp: Path, **kw: object) -> None:
    fresh = build(sources, out=tmp / "fresh", full=True, **kw)  # type: ignore[arg-type]
    assert fresh.cache is not None and fresh.cache.full
    got, want = _files(out), _files(fresh.out)
    assert sorted(got) == sorted(want)
    for name in want:
        assert got[name] == want[name], name
    shutil.rmtree(fresh.out)


@pytest.fixture()
def corpus(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "src"
    folder.mkdir()
    return [Path(shutil.copy(p, folder)) for p in sorted(CORPUS.glob("*.txt"))]


def test_changed_report_is_rebuilt_alone_and_files_equal_a_full_build(corpus, tmp_path):
    out = tmp_path / "dist"
    first = build(corpus, out=out)
    assert first.cache is not None and first.cache.full and first.cache.reason == "no earlier build"
    again = build(corpus, out=out)
    assert again.cache is not None and not again.cache.full
    assert again.cache.reused == ["qingtong-2021", "qingtong-2022"] and not again.cache.rebuilt
    assert again.report["cache"] == {
        "full": False,
        "reason": "",
        "rebuilt": 0,
        "reused": 2,
        "reports_rebuilt": [],
    }

    b = corpus[1]
    b.write_text(b.read_text(encoding="utf-8").replace("全年送餐15000人次", "全年送餐16000人次"), encoding="utf-8")
    result = build(corpus, out=out)
    assert result.cache is not None
    assert result.cache.rebuilt == ["qingtong-2022"] and result.cache.reused == ["qingtong-2021"]
    assert result.report["cache"]["reports_rebuilt"] == ["qingtong-2022"]  # type: ignore[index]
    _same_as_full(out, corpus, tmp_path)


def test_a_rebuild_holds_no_reused_report_graph(corpus, tmp_path, monkeypatch):
    """Each reused report's triples are let go once handed on, as a rebuilt one's are."""
    import kg.pipeline

    out = tmp_path / "dist"
    build(corpus, out=out)
    held = []
    assemble = kg.pipeline._assemble

    def spy(*args, **kwargs):
        a = assemble(*args, **kwargs)
        held.extend(len(e.triples) for e in a.entries)
        return a

    monkeypatch.setattr(kg.pipeline, "_assemble", spy)
    again = build(corpus, out=out)
    assert again.cache is not None and again.cache.reused == ["qingtong-2021", "qingtong-2022"]
    assert held == [0, 0]


def test_a_new_term_in_one_report_regraphs_the_reports_that_mention_it(corpus, tmp_path):
    out = tmp_path / "dist"
    build(corpus, out=out)
    # 2022 now quotes 专项整治: a candidate term, which 2021 mentions too (开展“雷霆行动”专项整治).
    b = corpus[1]
    b.write_text(
        b.read_text(encoding="utf-8").replace("新建服务点6个。", "新建服务点6个,推进“专项整治”。"), encoding="utf-8"
    )
    result = build(corpus, out=out)
    assert result.cache is not None
    assert result.cache.rebuilt == ["qingtong-2022"] and result.cache.regraphed == ["qingtong-2021"]
    assert not result.cache.reused
    _same_as_full(out, corpus, tmp_path)


def test_a_removed_report_leaves_the_output(corpus, tmp_path):
    out = tmp_path / "dist"
    build(corpus, out=out)
    result = build(corpus[:1], out=out)
    assert result.cache is not None and result.cache.reused == ["qingtong-2021"]
    assert not any("qingtong-2022" in g for g in result.graphs)
    assert "qingtong-2022" not in (out / "dataset.nq").read_text(encoding="utf-8")
    manifest = json.loads((out / CACHE_DIR / MANIFEST).read_text(encoding="utf-8"))
    assert list(manifest["sources"]) == ["qingtong-2021.txt"]
    assert not (out / CACHE_DIR / "reports" / "qingtong-2022.pickle").exists()
    _same_as_full(out, corpus[:1], tmp_path)


def test_a_curation_change_rebuilds_everything(corpus, tmp_path):
    cur = tmp_path / "curation"
    shutil.copytree(CURATION, cur)
    out = tmp_path / "dist"
    build(corpus, out=out, curation_dir=cur)
    # A curated continuation across the two years: the 2022 item carries the 2021 one on.
    with (cur / "structure.yaml").open("a", encoding="utf-8") as fh:
        fh.write("  - zh: 建设“15分钟服务圈”\n    en: Building the 15-minute service circle\n")
        fh.write("    continues: [推进“家门口”服务]\n")
    result = build(corpus, out=out, curation_dir=cur)
    assert result.cache is not None and result.cache.full
    assert result.cache.reason.startswith("curation")
    assert sorted(result.cache.rebuilt) == ["qingtong-2021", "qingtong-2022"]
    _same_as_full(out, corpus, tmp_path, curation_dir=cur)


def test_a_damaged_cache_entry_only_means_a_rebuild(corpus, tmp_path):
    out = tmp_path / "dist"
    build(corpus, out=out)
    (out / CACHE_DIR / "reports" / "qingtong-2021.pickle").write_bytes(b"not a pickle")
    result = build(corpus, out=out)
    assert result.cache is not None and result.cache.rebuilt == ["qingtong-2021"]
    _same_as_full(out, corpus, tmp_path)


def test_a_damaged_cached_text_is_written_again(corpus, tmp_path):
    """A report's share of the files is kept apart and read only when writing: damaged, it is recomputed."""
    out = tmp_path / "dist"
    build(corpus, out=out)
    text = out / CACHE_DIR / "reports" / "qingtong-2021.text.pickle"
    assert text.is_file()
    text.write_bytes(b"not a pickle")
    result = build(corpus, out=out)
    assert result.cache is not None and result.cache.rebuilt == []  # the graph is reused, its text is not
    assert (out / CACHE_DIR / "reports" / "qingtong-2021.text.pickle").read_bytes() != b"not a pickle"
    _same_as_full(out, corpus, tmp_path)


def test_a_failed_incremental_build_leaves_the_previous_build(corpus, tmp_path):
    out = tmp_path / "dist"
    build(corpus, out=out)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file() and "oxigraph" not in p.parts}
    essay = tmp_path / "src" / "essay.txt"
    essay.write_text("随便写的一段话。\n", encoding="utf-8")
    with pytest.raises(SourceError, match="no part headings"):
        build([*corpus, essay], out=out)
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file() and "oxigraph" not in p.parts}
    assert after == before


def test_cli_says_what_was_rebuilt_and_full_forces_all(corpus, tmp_path):
    out = tmp_path / "dist"
    runner = CliRunner()
    args = ["build", *map(str, corpus), "--out", str(out)]
    first = runner.invoke(main, args)
    assert first.exit_code == 0, first.output
    assert "Reports rebuilt: 2, reused: 0 (no earlier build)" in first.output
    again = runner.invoke(main, args)
    assert "Reports rebuilt: 0, reused: 2\n" in again.output
    full = runner.invoke(main, [*args, "--full"])
    assert full.exit_code == 0 and "Reports rebuilt: 2, reused: 0 (--full)" in full.output
    data = json.loads(runner.invoke(main, [*args, "--json"]).stdout)
    assert data["cache"]["reused"] == 2
