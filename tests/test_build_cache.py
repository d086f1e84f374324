"""Incremental builds: only changed reports are rebuilt, and the files equal a full build's."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.cache_files import CACHE_DIR, MANIFEST, STAMP
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


def _stale(out: Path) -> Path:
    """Forget that ``out`` is up to date, so that the next build with the same inputs runs again
    (from the cache) rather than keeping the folder as it is; returns ``out``."""
    (out / CACHE_DIR / STAMP).unlink()
    return out


def _spy(monkeypatch, owner: object, name: str, note) -> list:
    """Replace ``owner.name`` by a wrapper noting ``note(*args)`` of each call; returns the notes."""
    notes: list = []
    real = getattr(owner, name)

    def spy(*args):
        notes.append(note(*args))
        return real(*args)

    monkeypatch.setattr(owner, name, spy)
    return notes


@pytest.fixture()
def corpus(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "src"
    folder.mkdir()
    return [Path(shutil.copy(p, folder)) for p in sorted(CORPUS.glob("*.txt"))]


def test_changed_report_is_rebuilt_alone_and_files_equal_a_full_build(corpus, tmp_path):
    out = tmp_path / "dist"
    first = build(corpus, out=out)
    assert first.cache is not None and first.cache.full and first.cache.reason == "no earlier build"
    again = build(corpus, out=_stale(out))
    assert again.cache is not None and not again.cache.full
    assert again.cache.reused == ["qingtong-2021", "qingtong-2022"] and not again.cache.rebuilt
    assert again.report["cache"] == {
        "full": False,
        "reason": "",
        "rebuilt": 0,
        "reused": 2,
        "reports_rebuilt": [],
        "store": "updated",
        "validation": "changes",
        "index": "changes",
    }

    b = corpus[1]
    b.write_text(b.read_text(encoding="utf-8").replace("全年送餐15000人次", "全年送餐16000人次"), encoding="utf-8")
    result = build(corpus, out=out)
    assert result.cache is not None
    assert result.cache.rebuilt == ["qingtong-2022"] and result.cache.reused == ["qingtong-2021"]
    assert result.report["cache"]["reports_rebuilt"] == ["qingtong-2022"]  # type: ignore[index]
    _same_as_full(out, corpus, tmp_path)


def _quads(out: Path) -> set[str]:
    """Every quad of a build's store, the merged default graph's included, as N-Quads lines."""
    import pyoxigraph as ox

    store = ox.Store.read_only(str(out / "oxigraph"))
    return set(store.dump(format=ox.RdfFormat.N_QUADS).decode("utf-8").splitlines())


def _same_store_as_full(out: Path, sources: list[Path], tmp: Path) -> None:
    """The same quads as a full build's store, and the same SHACL results (an incremental build
    validates only what its changes can affect)."""
    fresh = build(sources, out=tmp / "fresh-store", full=True)
    assert fresh.cache is not None and fresh.cache.store == "new" and fresh.cache.validation == "whole"
    got, want = _quads(out), _quads(fresh.out)
    assert not got - want and not want - got, (sorted(got - want)[:5], sorted(want - got)[:5])
    shacl = [json.loads((d / "build-report.json").read_text(encoding="utf-8"))["shacl"] for d in (out, fresh.out)]
    assert shacl[0] == shacl[1]
    shutil.rmtree(fresh.out)


def test_an_incremental_build_updates_the_store_to_what_a_full_build_makes(corpus, tmp_path):
    """The last build's store is copied and changed only where graphs changed: the same quads,
    the merged default graph's included, as a store made afresh, whatever changed."""
    out = tmp_path / "dist"
    build(corpus, out=out)
    b = corpus[1]
    steps = [
        lambda: None,  # nothing changed: only the build IRI moves … or not
        lambda: b.write_text(b.read_text(encoding="utf-8").replace("15000", "16000"), encoding="utf-8"),
        # a new candidate term that the other report mentions too: both graphs change
        lambda: b.write_text(
            b.read_text(encoding="utf-8").replace("新建服务点6个。", "新建服务点6个,推进“专项整治”。"),
            encoding="utf-8",
        ),
        # text before most of the report: every later position moves (integers looked up by value)
        lambda: b.write_text(
            b.read_text(encoding="utf-8").replace("16000人次", "16000人次,另有新增", 1), encoding="utf-8"
        ),
    ]
    updates = 0
    # The last two: a report removed (its graph leaves the store, and triples only it stated leave
    # the default graph), then back again (a report new to the store).
    for step, sources in [*((s, corpus) for s in steps), (lambda: None, corpus[:1]), (lambda: None, corpus)]:
        step()
        result = build(sources, out=_stale(out))
        # With no report's graph reused, a new store is made (see the next test).
        updated = bool(result.cache and result.cache.reused)
        assert result.cache is not None and result.cache.store == ("updated" if updated else "new")
        assert result.report["cache"]["store"] == result.cache.store  # type: ignore[index]
        assert result.cache.validation == ("changes" if updated else "whole")
        _same_store_as_full(out, sources, tmp_path)
        updates += updated
    assert updates >= 3


def test_a_rebuild_that_reuses_no_reports_graph_makes_a_new_store(corpus, tmp_path):
    """One report, changed: every graph is replaced, and a new store costs less than the update."""
    out = tmp_path / "dist"
    one = corpus[1:]
    build(one, out=out)
    one[0].write_text(one[0].read_text(encoding="utf-8").replace("15000", "16000"), encoding="utf-8")
    result = build(one, out=out)
    assert result.cache is not None and not result.cache.full and not result.cache.reused
    assert result.cache.rebuilt == [one[0].stem]
    assert result.cache.store == "new" and result.cache.validation == "whole"
    _same_as_full(out, one, tmp_path)


def test_a_rebuild_patches_the_graphs_not_a_reports_with_the_lines_that_differ(corpus, tmp_path, monkeypatch):
    """The curation and ontology graphs are written afresh each build but change little: the store
    gains and loses the lines that differ from the last build's (kept in the cache), and reads
    neither whole; the changed report's graph is replaced."""
    import kg.store

    out = tmp_path / "dist"
    build(corpus, out=out)
    b = corpus[1]
    b.write_text(b.read_text(encoding="utf-8").replace("15000", "16000"), encoding="utf-8")
    read = _spy(monkeypatch, kg.store, "graph_triples", lambda _store, graph: graph.value)
    deltas: list = []
    real = kg.store._line_delta

    def delta(was: Path, now: Path) -> object:
        deltas.append(real(was, now))
        return deltas[-1]

    monkeypatch.setattr(kg.store, "_line_delta", delta)
    result = build(corpus, out=out)
    assert result.cache is not None and result.cache.store == "updated"
    graphs = {g for g in read if "/graph/" in g}
    assert graphs == {f"https://w3id.org/nanmatou/graph/report/{b.stem}"}, graphs
    assert len(deltas) == 2 and all(d is not None for d in deltas)
    curation = max(deltas, key=lambda d: len(d[0]) + len(d[1]))
    assert 0 < len(curation[0]) + len(curation[1]) < 50  # the build's IRI, and the numbers that changed
    _same_store_as_full(out, corpus, tmp_path)


def test_a_store_that_cannot_be_updated_is_made_again(corpus, tmp_path):
    out = tmp_path / "dist"
    build(corpus, out=out)
    shutil.rmtree(out / "oxigraph")
    (out / "oxigraph").mkdir()  # not a store
    result = build(corpus, out=out)
    assert result.cache is not None and result.cache.store == "new" and not result.cache.full
    _same_store_as_full(out, corpus, tmp_path)


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
    again = build(corpus, out=_stale(out))
    assert again.cache is not None and again.cache.reused == ["qingtong-2021", "qingtong-2022"]
    assert held == [0, 0]


def test_a_rebuild_reads_no_unchanged_report_graph_whole(corpus, tmp_path, monkeypatch):
    """An unchanged report lends only the triples other graphs may state too (the report itself,
    which the curation graph orders, included): its whole graph is never read again."""
    from kg.build_cache import BuildCache

    out = tmp_path / "dist"
    build(corpus, out=out)
    reads: list[str] = []
    whole = BuildCache.triples

    def spy(self, slug, target=None):
        reads.append(slug)
        return whole(self, slug, target)

    monkeypatch.setattr(BuildCache, "triples", spy)
    again = build(corpus, out=out)
    assert again.cache is not None and again.cache.reused == ["qingtong-2021", "qingtong-2022"]
    assert reads == []
    monkeypatch.undo()
    _same_as_full(out, corpus, tmp_path)


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


@pytest.mark.parametrize(
    ("damaged", "again"),
    [
        ("qingtong-2021.pickle", "rebuilt"),  # the parse: parsed and built again
        ("qingtong-2021.shared.pickle", "regraphed"),  # what the graph shares: built again from the parse
    ],
)
def test_a_damaged_cache_entry_only_means_a_rebuild(corpus, tmp_path, damaged, again):
    out = tmp_path / "dist"
    build(corpus, out=out)
    (out / CACHE_DIR / "reports" / damaged).write_bytes(b"not a pickle")
    result = build(corpus, out=out)
    assert result.cache is not None and getattr(result.cache, again) == ["qingtong-2021"]
    assert result.cache.reused == ["qingtong-2022"]
    _same_as_full(out, corpus, tmp_path)


def test_damaged_or_outdated_shacl_results_mean_validating_everything(corpus, tmp_path, monkeypatch):
    """The last validation's results are carried over only when they load and the same shapes
    and validator made them."""
    import kg.cache_files

    out = tmp_path / "dist"
    build(corpus, out=out)
    (out / CACHE_DIR / "shacl.pickle").write_bytes(b"not a pickle")
    result = build(corpus, out=out)
    assert result.cache is not None and result.cache.store == "updated" and result.cache.validation == "whole"
    assert build(corpus, out=_stale(out)).cache.validation == "changes"  # type: ignore[union-attr]
    monkeypatch.setattr(kg.cache_files, "shacl_key", lambda: "other shapes")
    assert build(corpus, out=out).cache.validation == "whole"  # type: ignore[union-attr]
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


@pytest.mark.parametrize("missing", ["nq", "nt"])
def test_a_cached_texts_lines_missing_or_unlinkable_are_written_again(corpus, tmp_path, monkeypatch, missing):
    """A reused text's lines are files of the cache, linked into the next one: a file missing
    means the text is written again; a link that fails, a copy (never a write through a link
    into the last build's files)."""
    import os

    import kg.cache_files

    out = tmp_path / "dist"
    build(corpus, out=out)
    reports = out / CACHE_DIR / "reports"
    (reports / f"qingtong-2021.{missing}").unlink()
    build(corpus, out=out)
    _same_as_full(out, corpus, tmp_path)
    before = {p.name: p.read_bytes() for p in reports.iterdir()}
    old = tmp_path / "old-cache"  # the last build's files, still reached once its folder is swapped out
    old.mkdir()
    for p in reports.iterdir():
        os.link(p, old / p.name)
    real = os.link

    def link(src, dst):
        if str(dst).endswith(f".{missing}"):
            raise OSError("no links here")
        return real(src, dst)

    monkeypatch.setattr(kg.cache_files.os, "link", link)
    build(corpus, out=out)
    assert {p.name: p.read_bytes() for p in old.iterdir()} == before
    _same_as_full(out, corpus, tmp_path)


def test_a_reused_text_is_merged_from_the_new_caches_links(corpus, tmp_path):
    """Once linked into the new build's cache, a reused text's lines are read from there: the last
    build's folder may be gone before the files are merged."""
    from kg.build_cache import BuildCache

    out = tmp_path / "dist"
    build(corpus, out=out)
    manifest = json.loads((out / CACHE_DIR / MANIFEST).read_text(encoding="utf-8"))
    cache = BuildCache(out, manifest["key"])
    slug = "qingtong-2021"
    text = cache.text(slug, manifest["digest"])
    assert text is not None and text.runs is not None and all(p.is_relative_to(out) for p in text.runs)
    target = tmp_path / "next"
    kept = cache.keep_text(target, slug, text, manifest["digest"], reused=True)
    assert kept.runs is not None and all(p.is_relative_to(target) and p.is_file() for p in kept.runs)
    assert [p.read_bytes() for p in kept.runs] == [p.read_bytes() for p in text.runs]


def test_another_rdflib_or_pyoxigraph_discards_the_cache(monkeypatch):
    """The writers' text and the forms the store keeps come from these libraries."""
    import kg.build_cache
    from kg.build_cache import global_key
    from kg.resources import ontology_dir

    def key() -> str:
        return global_key(CURATION, ontology_dir(), "https://w3id.org/nanmatou/", None)

    before = key()
    for library in ("rdflib", "pyoxigraph"):
        real = kg.build_cache._version
        monkeypatch.setattr(kg.build_cache, "_version", lambda d, lib=library, real=real: "0" if d == lib else real(d))
        assert key() != before
        monkeypatch.undo()
    assert key() == before


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
    kept = runner.invoke(main, args)
    assert "Reports rebuilt: 0, reused: 2 (nothing changed since the last build)\n" in kept.output
    assert first.stdout.split("Reports rebuilt")[0] == kept.stdout.split("Reports rebuilt")[0]  # the same summary
    again = runner.invoke(main, [*args[:-1], str(_stale(out))])
    assert (
        "Reports rebuilt: 0, reused: 2; store updated; SHACL on what changed; index on what changed\n" in again.output
    )
    full = runner.invoke(main, [*args, "--full"])
    assert full.exit_code == 0 and "Reports rebuilt: 2, reused: 0 (--full)" in full.output
    data = json.loads(runner.invoke(main, [*args, "--json"]).stdout)
    assert data["cache"]["reused"] == 2


def test_reports_made_in_worker_processes_give_the_same_build(corpus, tmp_path, monkeypatch):
    """Workers make the reports' graphs and texts and keep them in the cache, and one writes the
    index while the build validates: the files, the store and the next build's cache are those
    of a build in one process."""
    import kg.pipeline

    monkeypatch.setattr(kg.pipeline, "MIN_REPORTS", 1)
    monkeypatch.setenv("KG_BUILD_WORKERS", "2")
    made = _spy(monkeypatch, kg.pipeline, "made", lambda jobs, _corpus, _workers: len(jobs))
    beside = _spy(monkeypatch, kg.pipeline, "index_beside", lambda *args: args[4])
    out = tmp_path / "dist"
    first = build(corpus, out=out)
    assert beside == [True]  # the index was written by a worker while this process validated
    assert made == [2] and first.cache is not None and first.cache.rebuilt == ["qingtong-2021", "qingtong-2022"]
    monkeypatch.setenv("KG_BUILD_WORKERS", "1")  # the builds compared with: one process
    _same_as_full(out, corpus, tmp_path)
    _same_store_as_full(out, corpus, tmp_path)
    again = build(corpus, out=out)  # what the workers kept serves the next build
    assert again.cache is not None and again.cache.reused == ["qingtong-2021", "qingtong-2022"]
    _same_as_full(out, corpus, tmp_path)
    assert made == [2]
    # The index worker reuses the unchanged report's share of the index.
    monkeypatch.setenv("KG_BUILD_WORKERS", "2")
    b = corpus[1]
    b.write_text(b.read_text(encoding="utf-8").replace("全年送餐15000人次", "全年送餐16000人次"), encoding="utf-8")
    third = build(corpus, out=out)
    assert beside[-1] is True and third.report["cache"]["index"] == "changes"  # type: ignore[index]
    monkeypatch.setenv("KG_BUILD_WORKERS", "1")
    _same_as_full(out, corpus, tmp_path)


def test_the_index_worker_starts_while_the_sources_are_parsed(corpus, tmp_path, monkeypatch):
    """The process that writes the reports' half of the index beside validation is started
    before the parse (its start overlaps it); this process reads the terms' half meanwhile; the
    files are a one-process build's."""
    import kg.pipeline

    monkeypatch.setattr(kg.pipeline, "MIN_REPORTS", 1)
    monkeypatch.setenv("KG_BUILD_WORKERS", "2")
    steps: list[str] = []
    _spy(monkeypatch, kg.pipeline.IndexWorker, "start", lambda *args: steps.append("worker"))
    _spy(monkeypatch, kg.pipeline, "_parse", lambda *args: steps.append("parse"))
    given = _spy(monkeypatch, kg.pipeline, "index_beside", lambda *args: args[7] is not None)
    _spy(monkeypatch, kg.pipeline, "read_terms", lambda *args: steps.append("terms read here"))
    out = tmp_path / "dist"
    build(corpus, out=out)
    assert steps == ["worker", "parse", "terms read here"] and given == [True]
    monkeypatch.setenv("KG_BUILD_WORKERS", "1")
    _same_as_full(out, corpus, tmp_path)


def test_an_index_worker_that_died_before_its_job_leaves_the_index_to_the_build(corpus, tmp_path, monkeypatch):
    """A worker started early whose process is gone by the time the index is due: the build
    writes the index itself, the same files."""
    import kg.pipeline
    from kg.building.workers import IndexWorker

    class Dead(IndexWorker):
        def __init__(self, warm: bool = True) -> None:
            super().__init__(warm=False)
            assert self._proc is not None
            self._proc.kill()
            self._proc.join()

    monkeypatch.setattr(kg.pipeline, "MIN_REPORTS", 1)
    monkeypatch.setattr(kg.pipeline, "IndexWorker", Dead)
    monkeypatch.setenv("KG_BUILD_WORKERS", "2")
    out = tmp_path / "dist"
    result = build(corpus, out=out)
    assert result.report["cache"]["index"] == "whole"  # type: ignore[index]
    monkeypatch.setenv("KG_BUILD_WORKERS", "1")
    _same_as_full(out, corpus, tmp_path)


def test_a_rebuild_spells_no_label_the_last_build_spelled(corpus, tmp_path, monkeypatch):
    """The cache keeps the pinyin of every label the build met: a rebuild whose labels are all
    known calls pypinyin for none of them (loading its dictionaries took 0.2-0.5 s), and writes
    the files a full build writes."""
    import pypinyin

    import kg.pinyin

    out = tmp_path / "dist"
    build(corpus, out=out)
    assert json.loads((out / CACHE_DIR / "pinyin.json").read_text(encoding="utf-8"))["0三会一代理"] == [
        "san",
        "hui",
        "yi",
        "dai",
        "li",
    ]
    monkeypatch.setattr(kg.pinyin, "_known", {})  # as a new process: only the cache knows them
    spelled: list[str] = []
    real = pypinyin.lazy_pinyin
    monkeypatch.setattr(pypinyin, "lazy_pinyin", lambda text, *a, **k: spelled.append(text) or real(text, *a, **k))
    b = corpus[1]
    b.write_text(b.read_text(encoding="utf-8").replace("全年送餐15000人次", "全年送餐16000人次"), encoding="utf-8")
    again = build(corpus, out=out)
    assert again.cache is not None and again.cache.rebuilt == ["qingtong-2022"]
    assert spelled == []
    monkeypatch.setattr(kg.pinyin, "_known", {})
    _same_as_full(out, corpus, tmp_path)
    assert spelled  # the full build spelled them again (it reads no cache)


def test_the_pinyin_kept_is_what_the_build_used_wherever_it_was_spelled(corpus, tmp_path, monkeypatch):
    """Labels spelled in the report workers reach the cache as those spelled here do, and the
    cache keeps only what the build used (not what the process met in other builds)."""
    import kg.pinyin
    import kg.pipeline

    kg.pinyin.syllables("与本语料无关的标签")  # met by this process, used by no build below
    monkeypatch.setenv("KG_BUILD_WORKERS", "1")
    one = build(corpus, out=tmp_path / "one")
    want = json.loads((one.out / CACHE_DIR / "pinyin.json").read_text(encoding="utf-8"))
    assert "0与本语料无关的标签" not in want and "0三会一代理" in want
    monkeypatch.setattr(kg.pinyin, "_known", {})  # as a new process
    monkeypatch.setattr(kg.pipeline, "MIN_REPORTS", 1)
    monkeypatch.setenv("KG_BUILD_WORKERS", "2")
    made = _spy(monkeypatch, kg.pipeline, "made", lambda jobs, _corpus, _workers: len(jobs))
    two = build(corpus, out=tmp_path / "two")
    assert made == [2]
    assert json.loads((two.out / CACHE_DIR / "pinyin.json").read_text(encoding="utf-8")) == want


def test_another_pypinyin_makes_every_report_stale(monkeypatch):
    """Slugs and pinyin labels come from pypinyin: another version of it rebuilds every report."""
    import kg.build_cache
    from kg.resources import ontology_dir

    before = kg.build_cache.global_key(CURATION, ontology_dir(), "https://example.org/", None)
    real = kg.build_cache._version
    monkeypatch.setattr(kg.build_cache, "_version", lambda name: "0.0" if name == "pypinyin" else real(name))
    assert kg.build_cache.global_key(CURATION, ontology_dir(), "https://example.org/", None) != before


def _three_years_built(tmp: Path) -> tuple[list[Path], Path, Path]:
    """The three-year corpus (:func:`tests.test_diff.three_year_corpus`) copied and built into
    ``tmp``: its sources, curation folder and output folder."""
    from tests.test_diff import three_year_corpus

    found, cur = three_year_corpus(tmp)
    folder = tmp / "src"
    folder.mkdir()
    sources = [Path(shutil.copy(p, folder)) for p in found]
    out = tmp / "dist"
    build(sources, out=out, curation_dir=cur)
    return sources, cur, out


def test_only_the_reports_whose_index_share_the_changes_touch_are_read_again(tmp_path, monkeypatch):
    """Each report's share of the index is reused unless a changed triple is one it read: 2022
    no longer carrying 2021's doorstep service on changes 2021's entry (``continued_by``), and
    2023's share is reused."""
    import kg.index
    from kg.index_read import local

    sources, cur, out = _three_years_built(tmp_path)

    def continued_by(title: str) -> list[str]:
        reports = json.loads((out / "index-reports.json").read_text(encoding="utf-8"))["reports"]
        return [
            c
            for r in reports
            if r["slug"] == "qingtong-2021"
            for p in r["parts"]
            for s in p["sections"]
            for i in s["items"]
            if i["title"]["zh"] == title
            for c in i["continued_by"]
        ]

    assert continued_by("推进“家门口”服务")  # 2022's 15-minute circle carries it on
    read = _spy(monkeypatch, kg.index, "report_part", lambda _g, rep, _text: local(rep))
    b = sources[1]
    assert b.name == "qingtong-2022.txt"
    b.write_text(b.read_text(encoding="utf-8").replace("建设“15分钟服务圈”", "建设睦邻驿站"), encoding="utf-8")
    result = build(sources, out=out, curation_dir=cur)
    assert result.report["cache"]["index"] == "changes"  # type: ignore[index]
    assert read == ["qingtong-2021", "qingtong-2022"]
    assert not continued_by("推进“家门口”服务")
    _same_as_full(out, sources, tmp_path, curation_dir=cur)
    # Nothing changed: every share is reused.
    read.clear()
    again = build(sources, out=_stale(out), curation_dir=cur)
    assert read == [] and again.report["cache"]["index"] == "changes"  # type: ignore[index]


def test_index_parts_read_in_worker_processes_give_the_same_files(corpus, tmp_path, monkeypatch):
    """With many reports' shares of the index to read and the index written alone, worker
    processes read them from the store; the files are those of a build in one process."""
    import kg.index

    monkeypatch.setattr(kg.index, "PARALLEL_MIN", 1)
    monkeypatch.setenv("KG_BUILD_WORKERS", "2")
    read = _spy(monkeypatch, kg.index, "read_parts", lambda _store, jobs, workers: (len(jobs), workers))
    out = tmp_path / "dist"
    build(corpus, out=out)
    assert read == [(2, 2)]
    monkeypatch.setenv("KG_BUILD_WORKERS", "1")
    _same_as_full(out, corpus, tmp_path)


_EDITS = ["number", "title", "quote", "drop", "add", "define"]


def _edit(text: str, how: str, at: int) -> str:
    """One change of a report's text of the kind a new version of a report makes."""
    lines = text.rstrip("\n").split("\n")
    body = [i for i, line in enumerate(lines) if i >= 2 and not line.startswith(("(", "一", "二"))]
    i = body[at % len(body)] if body else len(lines) - 1
    if how == "number":
        lines[i] = next((lines[i].replace(d, str((int(d) + 1) % 10), 1) for d in lines[i] if d.isdigit()), lines[i])
    elif how == "title":
        title, dot, rest = lines[i].partition("。")
        lines[i] = (title + "工作" + dot + rest) if dot else lines[i]
    elif how == "quote":
        lines[i] += ["深化“雷霆行动”。", "推进“家门口”服务。", "建设“15分钟服务圈”。"][at % 3]
    elif how == "drop" and len(body) > 1:
        del lines[i]
    elif how == "define":  # a term defined where it is used, which another report may quote
        lines[i] += ["开展“雷霆行动”(即集中整治违法建筑的专项行动)。", "推进“家门口”服务,即就近办事。"][at % 2]
    elif how == "add":
        lines.insert(i + 1, f"新建睦邻点{at}个。完成{at + 2}个。")
    return "\n".join(lines) + "\n"


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, 2), st.sampled_from(_EDITS), st.integers(0, 40)), min_size=1, max_size=3))
def test_incremental_builds_after_random_edits_equal_a_full_build(edits):
    """Whatever reports change, and however, one build after another into the same folder
    gives the files (the index's shares included) of a full build of the same sources."""
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        sources, cur, out = _three_years_built(tmp)
        for which, how, at in edits:
            src = sources[which]
            src.write_text(_edit(src.read_text(encoding="utf-8"), how, at), encoding="utf-8")
            result = build(sources, out=out, curation_dir=cur)
            assert result.cache is not None and not result.cache.full
        _same_as_full(out, sources, tmp, curation_dir=cur)


def test_index_parts_are_read_here_when_the_workers_die(corpus, tmp_path, monkeypatch):
    """Workers that die after the first share: the build reads the rest itself, and the files
    are a one-process build's."""
    from concurrent.futures.process import BrokenProcessPool

    import kg.index
    from kg.index_parts import read_parts

    def dies(store, jobs, workers):
        parts = read_parts(store, jobs, workers)
        yield next(parts)
        parts.close()
        raise BrokenProcessPool("a worker died")

    monkeypatch.setattr(kg.index, "PARALLEL_MIN", 1)
    monkeypatch.setattr(kg.index, "read_parts", dies)
    monkeypatch.setenv("KG_BUILD_WORKERS", "2")
    out = tmp_path / "dist"
    build(corpus, out=out)
    monkeypatch.setenv("KG_BUILD_WORKERS", "1")
    _same_as_full(out, corpus, tmp_path)


def test_a_build_with_nothing_changed_keeps_the_folder_as_it_is(corpus, tmp_path):
    """Same sources, curation, ontology and code, and no file of the output touched: the folder is
    the build already, and is left alone (make's rule: the size and time of every file)."""
    out = tmp_path / "dist"
    first = build(corpus, out=out)
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    again = build(corpus, out=out)
    assert again.cache is not None and not again.cache.full
    assert again.cache.reason == "nothing changed since the last build" and not again.reports
    assert again.cache.reused == ["qingtong-2021", "qingtong-2022"] and not again.cache.rebuilt
    assert again.graphs == first.graphs and again.report["sources"] == first.report["sources"]
    assert again.report["cache"]["reason"] == again.cache.reason  # type: ignore[index]
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == before
    assert json.loads((out / "build-report.json").read_text())["cache"] == first.report["cache"]


def _same_size_same_time(out: Path) -> None:
    path = out / "dataset.nq"
    st = path.stat()
    data = bytearray(path.read_bytes())
    data[-2] = ord("x") if data[-2] != ord("x") else ord("y")
    path.write_bytes(bytes(data))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


@pytest.mark.parametrize(
    "touch",
    [
        lambda out: (out / "graph.ttl").write_text("damaged", encoding="utf-8"),  # an artifact changed
        lambda out: (out / "dataset.nq").unlink(),  # or removed
        lambda out: (out / "stray.txt").write_text("x", encoding="utf-8"),  # a file added
        lambda out: next((out / "oxigraph").glob("*.sst")).write_bytes(b"x"),  # the store touched
        lambda out: (out / CACHE_DIR / "reports" / "qingtong-2021.pickle").write_bytes(b"x"),  # the cache
        _same_size_same_time,  # a byte changed, the size and modification time put back
    ],
)
def test_a_touched_output_folder_is_built_again(corpus, tmp_path, touch):
    out = tmp_path / "dist"
    build(corpus, out=out)
    touch(out)
    again = build(corpus, out=out)
    assert again.cache is not None and again.cache.reason != "nothing changed since the last build"
    _same_as_full(out, corpus, tmp_path)
    assert build(corpus, out=out).cache.reason == "nothing changed since the last build"  # type: ignore[union-attr]


def test_a_changed_input_is_built_again(corpus, tmp_path):
    """A source, the source list or --full: not up to date."""
    out = tmp_path / "dist"
    build(corpus, out=out)
    assert build(corpus[:1], out=out).cache.reused == ["qingtong-2021"]  # type: ignore[union-attr]
    assert build(corpus, out=out).cache.reused == ["qingtong-2021"]  # type: ignore[union-attr]
    assert build(corpus, out=out, full=True).cache.full  # type: ignore[union-attr]
    corpus[0].write_bytes(corpus[0].read_bytes() + b"\n")
    assert build(corpus, out=out).cache.rebuilt == ["qingtong-2021"]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "change",
    [
        lambda monkeypatch: monkeypatch.setattr("kg.cache_files.shacl_key", lambda: "other shapes"),
        lambda monkeypatch: monkeypatch.setattr("kg.index_parts.parts_key", lambda: "other parts"),
        lambda monkeypatch: monkeypatch.setattr("kg.build_cache._version", lambda name: "another version"),
        lambda monkeypatch: monkeypatch.setattr("kg.build_cache.sys.version", "another Python"),
    ],
)
def test_other_code_or_libraries_are_not_up_to_date(corpus, tmp_path, monkeypatch, change):
    """What the global key leaves out (SHACL's and the index's code, the other libraries, Python)
    still keeps a build from being skipped."""
    out = tmp_path / "dist"
    build(corpus, out=out)
    change(monkeypatch)
    assert build(corpus, out=out).cache.reason != "nothing changed since the last build"  # type: ignore[union-attr]


def test_a_dangling_link_in_the_output_is_a_file_like_any_other(corpus, tmp_path):
    out = tmp_path / "dist"
    build(corpus, out=out)
    (out / "latest").symlink_to(tmp_path / "nowhere")
    again = build(corpus, out=out)  # the link is not the build's: built again, and it goes
    assert again.cache is not None and again.cache.reason != "nothing changed since the last build"
    assert not (out / "latest").is_symlink()


def test_a_source_changed_during_the_build_leaves_no_stamp(corpus, tmp_path, monkeypatch):
    """The stamp names the inputs read at the start: if one changed meanwhile, the output may be
    of either version, so the next build runs whatever the inputs then."""
    import kg.pipeline

    out = tmp_path / "dist"
    real = kg.pipeline._parse

    def parse(*args, **kwargs):
        found = real(*args, **kwargs)
        corpus[0].write_bytes(corpus[0].read_bytes() + b"\n")
        return found

    monkeypatch.setattr(kg.pipeline, "_parse", parse)
    build(corpus, out=out)
    assert not (out / CACHE_DIR / STAMP).exists()


# -- builds without the dataset files ------------------------------------------------------------


def _report_without(out: Path, *keys: str) -> dict:
    report = json.loads((out / "build-report.json").read_text(encoding="utf-8"))
    for key in ("cache", *keys):
        report.pop(key)
    return report


def test_a_build_without_dataset_files_makes_the_same_store_index_and_report(corpus, tmp_path, monkeypatch):
    """Without the five files, first and incremental builds make the same store, index and build
    report as builds that write them; an unchanged report's cached text is not read; and a later
    build that asks for the files writes those of a full build, byte for byte."""
    from kg.build_cache import BuildCache
    from kg.serialise import ARTIFACTS

    with_files, without = tmp_path / "files", tmp_path / "nofiles"
    build(corpus, out=with_files)
    first = build(corpus, out=without, dataset_files=False)
    assert first.report["dataset_files"] is False and first.report["artifacts"] == {}
    assert not [name for name in ARTIFACTS if (without / name).exists()]
    assert not (without / ".writing").exists()

    def same() -> None:
        assert _quads(without) == _quads(with_files)
        for name in ("index.json", "index-reports.json"):
            assert (without / name).read_bytes() == (with_files / name).read_bytes(), name
        assert _report_without(without, "artifacts", "dataset_files") == _report_without(
            with_files, "artifacts", "dataset_files"
        )

    same()
    texts = _spy(monkeypatch, BuildCache, "text", lambda _self, slug, _digest: slug)
    b = corpus[1]
    b.write_text(b.read_text(encoding="utf-8").replace("全年送餐15000人次", "全年送餐16000人次"), encoding="utf-8")
    build(corpus, out=with_files)
    read = len(texts)
    again = build(corpus, out=without, dataset_files=False)
    assert again.cache is not None and again.cache.reused == ["qingtong-2021"] and again.cache.store == "updated"
    assert len(texts) == read  # the unchanged report's text was linked, not read
    same()
    _same_store_as_full(without, corpus, tmp_path)
    asked = build(corpus, out=without, dataset_files=True)  # the same inputs, but now the files
    assert asked.report["dataset_files"] is True and asked.cache is not None and asked.cache.reused
    _same_as_full(without, corpus, tmp_path)


def test_a_store_made_again_without_dataset_files_is_loaded_from_the_cached_lines(corpus, tmp_path):
    """When the last store cannot be updated, a build without the files loads a new one from every
    graph's sorted lines: the unchanged reports' from the cache, with the lines naming this build."""
    out = tmp_path / "dist"
    build(corpus, out=out, dataset_files=False)
    b = corpus[1]
    b.write_text(b.read_text(encoding="utf-8").replace("15000", "16000"), encoding="utf-8")
    shutil.rmtree(out / "oxigraph")
    (out / "oxigraph").mkdir()  # not a store
    result = build(corpus, out=out, dataset_files=False)
    assert result.cache is not None and result.cache.store == "new" and result.cache.reused == ["qingtong-2021"]
    _same_store_as_full(out, corpus, tmp_path)


def test_a_shape_on_a_folded_datatype_validates_the_cached_lines_in_memory(corpus, tmp_path, monkeypatch):
    """Where a shape constrains a datatype the store folds, the build validates in memory: without
    the files, from every graph's sorted lines, with the findings of a build that writes them."""
    import kg.pipeline
    from kg.building import store_texts
    from kg.vocab import OA

    monkeypatch.setattr(kg.pipeline, "datatype_paths", lambda _shapes: {str(OA.start)})
    read = _spy(monkeypatch, store_texts, "in_memory", lambda paths: len(paths))
    build(corpus, out=tmp_path / "files")
    assert read == [1]  # dataset.nq
    build(corpus, out=tmp_path / "nofiles", dataset_files=False)
    assert read[-1] > 2  # every graph's lines
    found = [_report_without(tmp_path / d, "artifacts", "dataset_files") for d in ("files", "nofiles")]
    assert found[0] == found[1]
    assert not (tmp_path / "nofiles" / ".writing").exists()


def test_the_dataset_files_are_written_for_at_most_a_hundred_sources_unless_asked(corpus, tmp_path, monkeypatch):
    import kg.pipeline

    out = tmp_path / "dist"
    runner = CliRunner()
    args = ["build", *map(str, corpus), "--out", str(out)]
    monkeypatch.setattr(kg.pipeline, "DATASET_FILES_MAX", 1)
    res = runner.invoke(main, args)
    assert res.exit_code == 0 and "No dataset files written (`kg build --dataset-files` writes them)" in res.stderr
    assert not (out / "dataset.trig").exists()
    # The same inputs, the files asked for: not "nothing changed".
    res = runner.invoke(main, [*args, "--dataset-files"])
    assert res.exit_code == 0 and "nothing changed" not in res.output and (out / "dataset.trig").is_file()
    assert "No dataset files" not in res.stderr
    res = runner.invoke(main, [*args, "--no-dataset-files"])
    assert res.exit_code == 0 and not (out / "dataset.trig").exists()
    monkeypatch.setattr(kg.pipeline, "DATASET_FILES_MAX", 2)
    res = runner.invoke(main, args)
    assert res.exit_code == 0 and (out / "dataset.nq").is_file() and "No dataset files" not in res.stderr
    assert kg.pipeline.DATASET_FILES_MAX == 2 and monkeypatch.undo() is None and kg.pipeline.DATASET_FILES_MAX == 100


def test_validate_and_push_read_the_store_of_a_build_without_dataset_files(corpus, tmp_path):
    """`kg validate` gives the same findings, and `kg push` sends the same graphs, from the store."""
    from kg.cache_files import cached_nquads
    from kg.remote import _graphs

    with_files, without = tmp_path / "files", tmp_path / "nofiles"
    build(corpus, out=with_files)
    build(corpus, out=without, dataset_files=False)
    runner = CliRunner()
    found = [runner.invoke(main, ["validate", "--dist", str(d)]) for d in (with_files, without)]
    assert found[0].exit_code == found[1].exit_code == 0
    assert found[0].output == found[1].output and found[0].stderr == found[1].stderr
    assert _graphs(without) == _graphs(with_files)
    assert sorted(cached_nquads(without)) == (with_files / "dataset.nq").read_text(encoding="utf-8").splitlines()
    (without / CACHE_DIR / "reports" / "qingtong-2022.text.pickle").write_bytes(b"not a pickle")  # not read
    assert runner.invoke(main, ["validate", "--dist", str(without)]).output == found[0].output
    (without / CACHE_DIR / "reports" / "qingtong-2022.named.nq").unlink()
    res = runner.invoke(main, ["validate", "--dist", str(without)])
    assert res.exit_code == 1 and res.stderr.startswith("Error: the build cache in") and "incomplete" in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1
    run = without / CACHE_DIR / "reports" / "qingtong-2021.nq"
    run.write_bytes(run.read_bytes()[:-40])  # a line cut short
    shutil.copy(with_files / CACHE_DIR / "reports" / "qingtong-2022.named.nq", run.with_name("qingtong-2022.named.nq"))
    res = runner.invoke(main, ["validate", "--dist", str(without)])
    assert res.exit_code == 1 and res.stderr.startswith("Error: cannot read the built graph in")
    assert len(res.stderr.strip().splitlines()) == 1


def test_a_damaged_text_linked_by_a_build_without_files_is_not_read_and_is_written_again_when_asked(
    corpus, tmp_path, monkeypatch
):
    """A build without files links an unchanged report's text unread (and holds no graph for the
    files' fallbacks): a damaged one does not stop validate or push, and a build that writes the
    files makes it again, with the files of a full build."""
    from kg.cache_files import cached_nquads
    from kg.serialise import ArtifactWriter

    held = _spy(monkeypatch, ArtifactWriter, "discard", lambda self: len(self._graphs))
    out = tmp_path / "dist"
    build(corpus, out=out, dataset_files=False)
    assert held == [0]
    text = out / CACHE_DIR / "reports" / "qingtong-2021.text.pickle"
    text.write_bytes(b"not a pickle")
    b = corpus[1]
    b.write_text(b.read_text(encoding="utf-8").replace("15000", "16000"), encoding="utf-8")
    again = build(corpus, out=out, dataset_files=False)
    assert again.cache is not None and again.cache.reused == ["qingtong-2021"]
    assert text.read_bytes() == b"not a pickle"  # linked, not read
    lines = sorted(cached_nquads(out))
    asked = build(corpus, out=out, dataset_files=True)
    assert asked.cache is not None and asked.cache.reused == ["qingtong-2021", "qingtong-2022"]
    assert text.read_bytes() != b"not a pickle"
    assert (out / "dataset.nq").read_text(encoding="utf-8").splitlines() == lines
    _same_as_full(out, corpus, tmp_path)


def test_a_reused_reports_normalised_text_comes_from_the_cache(corpus, tmp_path, monkeypatch):
    """Labels are looked up in each report's normalised text, kept with its parse: a rebuild does
    not normalise the unchanged reports' texts again (1.4 s at 1,000 reports)."""
    import kg.text

    out = tmp_path / "dist"
    build(corpus, out=out)
    b = corpus[1]
    b.write_text(b.read_text(encoding="utf-8").replace("15000", "16000"), encoding="utf-8")
    texts = {p.read_text(encoding="utf-8") for p in corpus}
    seen = _spy(monkeypatch, kg.text, "normalise", lambda text: text)
    again = build(corpus, out=out)
    assert again.cache is not None and again.cache.reused == ["qingtong-2021"]
    normalised_whole = [t for t in seen if t in texts]
    assert normalised_whole == [corpus[1].read_text(encoding="utf-8")]  # the changed report's only
    _same_as_full(out, corpus, tmp_path)


def _curation_lines(out: Path) -> list[str]:
    """The sorted N-Quads lines of the curation graph the build in ``out`` kept in its cache."""
    from kg.cache_files import lines_path
    from kg.vocab import IRIs

    return lines_path(out, str(IRIs().graph("curation"))).read_text(encoding="utf-8").splitlines()


def test_without_files_the_curation_graph_is_made_a_report_at_a_time(corpus, tmp_path, monkeypatch):
    """Without the files, each report's alignments in the curation graph are kept in the cache and
    an unchanged report's are not made again; the graph's lines are those of a build with the files
    (its size triple included), and the store the one a full build makes."""
    from kg.building.glossary_graph import GlossaryGraphBuilder
    from kg.vocab import IRIs

    out, with_files = tmp_path / "dist", tmp_path / "files"
    made = _spy(monkeypatch, GlossaryGraphBuilder, "alignments", lambda _self, r, _iris, _g: r.slug)
    build(corpus, out=out, dataset_files=False)
    assert sorted(made) == sorted(p.stem for p in corpus)
    b = corpus[1]
    b.write_text(b.read_text(encoding="utf-8").replace("15000", "16000"), encoding="utf-8")
    made.clear()
    import kg.store

    compared = _spy(monkeypatch, kg.store, "_line_delta", lambda was, now: (was and was.name, now and now.name))
    again = build(corpus, out=out, dataset_files=False)
    assert again.cache is not None and again.cache.reused == ["qingtong-2021"] and again.cache.store == "updated"
    assert made == ["qingtong-2022"]
    # The store is patched where the report changed, and the rest of the graph: not the whole graph.
    pieces = [pair for pair in compared if pair[0] and pair[0].endswith((".rest", ".curation.nq"))]
    assert sorted(p[0].rsplit(".", 1)[-1] for p in pieces) == ["nq", "rest"], compared
    assert ("qingtong-2022.curation.nq", "qingtong-2022.curation.nq") in pieces
    build(corpus, out=with_files)
    graph = f" <{IRIs().graph('curation')}> ."
    want = sorted(
        ln for ln in (with_files / "dataset.nq").read_text(encoding="utf-8").splitlines() if ln.endswith(graph)
    )
    assert _curation_lines(out) == want
    assert any("void#triples" in ln for ln in want)
    _same_store_as_full(out, corpus, tmp_path)


@pytest.mark.parametrize("damage", ["file", "truncated", "manifest"])
def test_a_reports_kept_alignments_missing_or_damaged_are_made_again(corpus, tmp_path, monkeypatch, damage):
    """A report's alignments missing from the cache, cut short, or their count missing from the
    manifest are made again (a file of another size than the one kept is not linked)."""
    from kg.building.glossary_graph import GlossaryGraphBuilder

    out = tmp_path / "dist"
    build(corpus, out=out, dataset_files=False)
    before = _curation_lines(out)
    kept = out / CACHE_DIR / "reports" / "qingtong-2021.curation.nq"
    if damage == "file":
        kept.unlink()
    elif damage == "truncated":
        kept.write_bytes(kept.read_bytes()[: kept.stat().st_size // 2])
    else:
        manifest = out / CACHE_DIR / "manifest.json"
        data = json.loads(manifest.read_text(encoding="utf-8"))
        for entry in data["sources"].values():
            entry.pop("curation")
        manifest.write_text(json.dumps(data), encoding="utf-8")
    b = corpus[1]
    b.write_text(b.read_text(encoding="utf-8").replace("15000", "16000"), encoding="utf-8")
    made = _spy(monkeypatch, GlossaryGraphBuilder, "alignments", lambda _self, r, _iris, _g: r.slug)
    again = build(corpus, out=out, dataset_files=False)
    assert again.cache is not None and again.cache.reused == ["qingtong-2021"]
    assert sorted(made) == ["qingtong-2021", "qingtong-2022"]
    assert len(_curation_lines(out)) == len(before)  # the change is a quantity's, not an alignment's
    _same_store_as_full(out, corpus, tmp_path)


def test_a_build_without_files_after_one_with_them_patches_the_curation_graph_whole(corpus, tmp_path, monkeypatch):
    """After a build that wrote the files (no alignments kept a report at a time), the store's
    curation graph is patched from the whole graph's lines: the same store as a full build's."""
    import kg.store

    out = tmp_path / "dist"
    build(corpus, out=out)
    b = corpus[1]
    b.write_text(b.read_text(encoding="utf-8").replace("15000", "16000"), encoding="utf-8")
    compared = _spy(monkeypatch, kg.store, "_line_delta", lambda was, now: (was and was.suffix, now and now.suffix))
    again = build(corpus, out=out, dataset_files=False)
    assert again.cache is not None and again.cache.store == "updated"
    assert (".rest", ".rest") not in compared and compared  # whole graphs' lines compared
    _same_store_as_full(out, corpus, tmp_path)


def test_without_files_an_unchanged_reports_shared_triples_are_not_read(corpus, tmp_path, monkeypatch):
    """Only the union's Turtle (a dataset file) reads an unchanged report's shared triples: without
    the files its graph's size comes from the manifest, and the build is the same."""
    from kg.build_cache import BuildCache

    out = tmp_path / "dist"
    build(corpus, out=out, dataset_files=False)
    read = _spy(monkeypatch, BuildCache, "shared", lambda _self, slug: slug)
    b = corpus[1]
    b.write_text(b.read_text(encoding="utf-8").replace("15000", "16000"), encoding="utf-8")
    again = build(corpus, out=out, dataset_files=False)
    assert again.cache is not None and again.cache.reused == ["qingtong-2021"] and read == []
    _same_store_as_full(out, corpus, tmp_path)
    b.write_text(b.read_text(encoding="utf-8").replace("16000", "17000"), encoding="utf-8")
    build(corpus, out=out)  # with the files
    assert read == ["qingtong-2021"]
    _same_as_full(out, corpus, tmp_path)


def test_without_files_a_report_removed_or_added_patches_the_curation_graph(corpus, tmp_path):
    """A report no longer built loses its alignments from the store, and one built anew gains
    them: the same store as a full build's either way."""
    out = tmp_path / "dist"
    build(corpus, out=out, dataset_files=False)
    one = build(corpus[:1], out=out, dataset_files=False)
    assert one.cache is not None and one.cache.store == "updated"
    assert not (out / CACHE_DIR / "reports" / f"{corpus[1].stem}.curation.nq").exists()
    _same_store_as_full(out, corpus[:1], tmp_path)
    both = build(corpus, out=out, dataset_files=False)
    assert both.cache is not None and both.cache.store == "updated" and both.cache.rebuilt == [corpus[1].stem]
    _same_store_as_full(out, corpus, tmp_path)


def test_past_the_limit_a_rebuild_writes_the_index_beside_validation(corpus, tmp_path, monkeypatch):
    """A corpus past INDEX_BESIDE_MAX writes its index after validation in a full build, and beside
    it in a rebuild (which reads few reports' shares again); the files are a full build's."""
    import kg.pipeline

    monkeypatch.setattr(kg.pipeline, "MIN_REPORTS", 1)
    monkeypatch.setattr(kg.pipeline, "INDEX_BESIDE_MAX", 1)
    monkeypatch.setenv("KG_BUILD_WORKERS", "2")
    from contextlib import contextmanager

    real, beside = kg.pipeline.index_beside, []

    @contextmanager
    def spy(*args):
        with real(*args) as indexing:
            yield indexing
        beside.append(indexing.beside)

    monkeypatch.setattr(kg.pipeline, "index_beside", spy)
    out = tmp_path / "dist"
    build(corpus, out=out)
    b = corpus[1]
    b.write_text(b.read_text(encoding="utf-8").replace("15000", "16000"), encoding="utf-8")
    again = build(corpus, out=out)
    assert beside == [False, True]
    assert again.cache is not None and again.cache.index == "changes"
    _same_as_full(out, corpus, tmp_path)


def test_a_note_defining_a_term_another_report_defines_in_its_text_rebuilds_that_report(tmp_path):
    """A term one report defines where it uses it (“工业上楼”(即…)) is defined in the text until
    another report's glossary note defines it: then the note's, and the first report's graph,
    reused otherwise, is made again (its known labels did not change, a note headword did)."""
    genre = Path(__file__).resolve().parent / "fixtures" / "genre"
    a = tmp_path / "yuehai.txt"
    shutil.copy(genre / "zg-inline-definitions.txt", a)
    b = tmp_path / "other.txt"
    other = (genre / "zg-inline-definitions.txt").read_text(encoding="utf-8")
    b.write_text(other.replace("（即在高层厂房中布局生产线，提高土地利用效率）", ""), encoding="utf-8")
    out = tmp_path / "dist"
    build([a, b], out=out)
    entry = json.loads(CliRunner().invoke(main, ["define", "工业上楼", "--json"], env={"KG_DIST": str(out)}).stdout)
    assert entry["definition_source"] == "inText" and entry["definition"]["zh"].startswith("在高层厂房")
    b.write_text(
        b.read_text(encoding="utf-8") + "\n名词解释：\n1.“工业上楼”：指将生产线布局在高层厂房之中。\n", encoding="utf-8"
    )
    result = build([a, b], out=out)
    assert result.cache is not None and result.cache.rebuilt == ["other"] and result.cache.regraphed == ["yuehai"]
    entry = json.loads(CliRunner().invoke(main, ["define", "工业上楼", "--json"], env={"KG_DIST": str(out)}).stdout)
    assert entry["definition_source"] == "official" and entry["definition"]["zh"] == "指将生产线布局在高层厂房之中。"
    assert result.report["shacl"]["violations"] == 0  # type: ignore[index]
    _same_as_full(out, [a, b], tmp_path)


def test_a_report_whose_parts_of_a_term_another_report_now_gives_is_made_again(tmp_path):
    """Two reports list the parts of “1+3+N”; the concept gets those of the definition shown (the
    first by text). When the other report's definition comes first, the first report's graph,
    reused otherwise, is made again without its parts: the files equal a full build's."""
    head = "街道2023年工作报告\n一、2023年工作回顾\n(一)城市管理\n"
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("甲" + head + "构建“1+3+N”(即1个指挥中心、3个工作站、N个服务点)体系。\n", encoding="utf-8")
    b.write_text("乙" + head + "构建“1+3+N”(即2个平台之外的1个联席会、3个专班、N个志愿队)机制。\n", encoding="utf-8")
    out = tmp_path / "dist"
    build([a, b], out=out)
    env = {"KG_DIST": str(out)}
    entry = json.loads(CliRunner().invoke(main, ["define", "1+3+N", "--json"], env=env).stdout)
    assert [c["label"]["zh"] for c in entry["components"]] == ["指挥中心", "工作站", "服务点"]
    b.write_text("乙" + head + "构建“1+3+N”(即1个专班、3个联席会、N个志愿队)机制。\n", encoding="utf-8")
    result = build([a, b], out=out)
    assert result.cache is not None and result.cache.rebuilt == ["b"] and result.cache.regraphed == ["a"]
    entry = json.loads(CliRunner().invoke(main, ["define", "1+3+N", "--json"], env=env).stdout)
    assert [c["label"]["zh"] for c in entry["components"]] == ["专班", "联席会", "志愿队"]
    assert result.report["shacl"]["violations"] == 0  # type: ignore[index]
    _same_as_full(out, [a, b], tmp_path)


def test_a_cached_report_is_affected_by_a_label_in_another_case_or_script(tmp_path: Path):
    """A report cached before another adds 行知E家 (written 行知e家 in it) or 六亂 (六乱 in it) has
    their mentions, as a full build finds them (the cache compared the labels as written)."""
    folder = tmp_path / "src"
    folder.mkdir()
    plan = "二、2023年工作安排\n（一）城市管理\n1.推进城市更新。完成老旧小区改造6个。\n"
    a = folder / "xingzhi-2022.txt"
    a.write_text(
        "行知街道2022年工作报告\n一、2021年工作回顾\n（一）党建引领\n1.深化社区服务。依托行知e家平台，"
        "开展六乱整治行动，全年服务居民1200人次。\n" + plan.replace("2023", "2022"),
        encoding="utf-8",
    )
    b = folder / "xingzhi-2023.txt"
    b.write_text(
        "行知街道2023年工作报告\n一、2022年工作回顾\n（一）党建引领\n1.打造服务品牌。持续擦亮“行知E家”品牌，"
        "整治“六亂”问题320处。\n" + plan + "名詞解釋：\n1.“六亂”：指亂停亂放、亂搭亂建等六類問題。\n",
        encoding="utf-8",
    )
    out = tmp_path / "dist"
    build([a], out=out)
    result = build([a, b], out=out)
    assert result.cache is not None and not result.cache.full
    _same_as_full(out, [a, b], tmp_path)
