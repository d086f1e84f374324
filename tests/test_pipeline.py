"""The build: determinism, atomicity, several sources, equal serialisations."""

from __future__ import annotations

import gc
import os
import shutil
import subprocess
import sys

import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

from kg.errors import ArtifactError, CurationError, SettingError, ShapeViolation, SourceError
from kg.pipeline import build
from kg.resources import CURATION, DEFAULT_REPORT

from .conftest import ROOT, write_report

ARTIFACTS = ["dataset.trig", "dataset.nq", "dataset.jsonld", "graph.ttl", "graph.nt", "build-report.json"]


def test_artifacts_written(dist):
    for name in ARTIFACTS:
        assert (dist / name).stat().st_size > 0, name
    assert (dist / "oxigraph").is_dir()


def test_serialisations_hold_the_same_dataset(dist):
    nq = Dataset()
    nq.parse(dist / "dataset.nq", format="nquads")
    trig = Dataset()
    trig.parse(dist / "dataset.trig", format="trig")
    jsonld = Dataset()
    jsonld.parse(dist / "dataset.jsonld", format="json-ld")
    for other in (trig, jsonld):
        names = {g.identifier for g in nq.graphs() if len(g)}
        assert names == {g.identifier for g in other.graphs() if len(g)}
        for name in names:
            assert isomorphic(nq.graph(name), other.graph(name)), name
    merged = Graph().parse(dist / "graph.ttl")
    assert isomorphic(merged, Graph().parse(dist / "graph.nt"))
    assert len(merged) == sum(len(g) for g in nq.graphs())


def test_build_is_byte_identical_across_processes(dist, tmp_path):
    # Another process with another hash seed must write the same bytes.
    env = dict(os.environ, PYTHONHASHSEED="12345")
    out = tmp_path / "again"
    subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "--out", str(out)],
        check=True,
        env=env,
        capture_output=True,
        cwd=tmp_path,
    )
    for name in ARTIFACTS:
        assert (out / name).read_bytes() == (dist / name).read_bytes(), name


def test_failed_build_leaves_previous_artifacts(dist, tmp_path):
    out = tmp_path / "dist"
    shutil.copytree(dist, out)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    with pytest.raises(SourceError, match="no such file"):
        build([tmp_path / "missing.txt"], out=out)
    bad = tmp_path / "curation"
    shutil.copytree(CURATION, bad)
    (bad / "terms.yaml").write_text("terms:\n  - zh: 五个力\n    en: [unclosed\n", encoding="utf-8")
    with pytest.raises(CurationError, match=r"terms\.yaml:\d+: malformed YAML"):
        build(out=out, curation_dir=bad)
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert after == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".dist")]


@pytest.mark.parametrize("beside", [False, True])
def test_shacl_violation_fails_the_build(tmp_path, monkeypatch, beside):
    """… also while a worker writes the index meanwhile: it is stopped, and nothing is left behind."""
    if beside:
        import kg.pipeline

        monkeypatch.setattr(kg.pipeline, "MIN_REPORTS", 1)
        monkeypatch.setenv("KG_BUILD_WORKERS", "2")
    bad = tmp_path / "curation"
    shutil.copytree(CURATION, bad)
    text = (bad / "terms.yaml").read_text(encoding="utf-8")
    # 1+4+27+47 with a wrong count: the shorthand no longer adds up.
    text = text.replace(
        "{label: {zh: 养老超市, en: elderly-care supermarket}, count: 4}",
        "{label: {zh: 养老超市, en: elderly-care supermarket}, count: 5}",
    )
    (bad / "terms.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ShapeViolation, match=r"ShorthandCounts.*1-4-27-47"):
        build(out=tmp_path / "dist", curation_dir=bad)
    assert not (tmp_path / "dist").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".dist")]
    assert gc.get_freeze_count() == 0  # the parses frozen for the build are the collector's again


def test_the_parses_are_frozen_for_the_build_only(tmp_path, monkeypatch):
    """The build freezes what it has read (left out of the collector's passes) and lets it go after."""
    import kg.pipeline

    frozen: list[int] = []
    real = kg.pipeline._assemble

    def assemble(*args, **kwargs):
        frozen.append(gc.get_freeze_count())
        return real(*args, **kwargs)

    monkeypatch.setattr(kg.pipeline, "_assemble", assemble)
    build(out=tmp_path / "dist")
    assert frozen and frozen[0] > 0 and gc.get_freeze_count() == 0


def test_several_sources_one_graph_each(tmp_path):
    other = write_report(tmp_path / "other-2022.txt", DEFAULT_REPORT.read_text(encoding="utf-8"))
    messages: list[str] = []
    result = build([DEFAULT_REPORT, other], out=tmp_path / "dist", progress=messages.append)
    graphs = set(result.graphs)
    assert any(g.endswith("graph/report/nanmatou-2021-report") for g in graphs)
    assert any(g.endswith("graph/report/other-2022") for g in graphs)
    assert any("[2/2]" in m for m in messages)


def test_not_of_the_genre(tmp_path):
    src = write_report(tmp_path / "essay.txt", "随便写的一段话。\n")
    with pytest.raises(SourceError, match=r"essay\.txt.*no part headings"):
        build([src], out=tmp_path / "dist")


def test_base_iri_is_configurable(tmp_path):
    result = build(out=tmp_path / "dist", base="http://example.org/kg/")
    assert all(g.startswith("http://example.org/kg/graph/") for g in result.graphs)


def test_base_iri_gets_its_slash_and_must_be_absolute(tmp_path):
    """Without the slash, IRIs were glued to the base's last segment (``…/kgreport/…``)."""
    from kg.vocab import IRIs

    assert IRIs("http://example.org/kg").report("r") == URIRef("http://example.org/kg/report/r")
    bad_bases = ["notaniri", "http://example.org/a b/", "http://example.org/<x>/", "/relative/", "C:/Users/me"]
    # IRIs are minted as base + path + #part: a base with a fragment or query, or a broken escape, is no base.
    bad_bases += ["http://example.org/ns#", "http://example.org/kg?x=1", "http://example.org/a%zz/", "http://ex[a]/"]
    for bad in bad_bases:
        with pytest.raises(SettingError, match="not an absolute IRI"):
            build(out=tmp_path / "dist", base=bad)
    assert not (tmp_path / "dist").exists()


def test_build_never_replaces_what_is_not_a_build(tmp_path):
    """A build replaces its whole output folder: a folder of other files, or a file, is refused
    untouched; a missing or empty folder, or an earlier build, is written."""
    folder = tmp_path / "thesis"
    folder.mkdir()
    (folder / "chapter-1.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(ArtifactError, match="not a build"):
        build(out=folder)
    assert [p.name for p in folder.iterdir()] == ["chapter-1.txt"]
    a_file = tmp_path / "notes.txt"
    a_file.write_text("mine", encoding="utf-8")
    with pytest.raises(ArtifactError, match="is not a folder"):
        build(out=a_file)
    assert a_file.read_text(encoding="utf-8") == "mine"
    assert not any(p.name.startswith(".") for p in tmp_path.iterdir())  # nothing left beside them
    looks_like_one = tmp_path / "not-quite"  # a generic build name beside other files is not a build
    (looks_like_one / "oxigraph").mkdir(parents=True)
    (looks_like_one / "thesis.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(ArtifactError, match=r"not a build \(thesis\.txt\)"):
        build(out=looks_like_one)
    assert (looks_like_one / "thesis.txt").read_text(encoding="utf-8") == "mine"
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / ".gitkeep").touch()  # dotfiles do not make a folder someone's
    build(out=empty)
    assert (empty / "build-report.json").is_file()
    (empty / "build-report.json").unlink()  # still a build (its store and cache): built again
    build(out=empty, full=True)
    assert (empty / "build-report.json").is_file()


def test_serve_does_not_build_over_a_folder_of_other_files(tmp_path):
    from click.testing import CliRunner

    from kg.cli import main

    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "index.html").write_text("mine", encoding="utf-8")
    res = CliRunner().invoke(main, ["serve", "--port", "0", "--dist", str(folder)])
    assert res.exit_code == 1 and "not a build" in res.stderr
    assert [p.name for p in folder.iterdir()] == ["index.html"]


def test_mentions_state_each_annotations_container_and_body(dist):
    """``nmt:mentions`` is stated for exactly the (container, body) pairs of the mention annotations,
    in each report graph: term-years reads the pairs from it instead of joining every mention."""
    from rdflib.namespace import DCTERMS

    from kg.vocab import NMT, OA

    ds = Dataset()
    ds.parse(dist / "dataset.nq", format="nquads")
    checked = 0
    for g in ds.graphs():
        annotated = {(g.value(m, DCTERMS.isPartOf), body) for m, body in g.subject_objects(OA.hasBody)}
        stated = set(g.subject_objects(NMT.mentions))
        assert annotated == stated, g.identifier
        checked += len(stated)
    assert checked > 100


def test_titles_in_the_graph_leave_out_glued_footnote_markers(tmp_path):
    """The title is kept as written, but a footnote marker is not a word of it (nor of its key)."""
    from rdflib.namespace import DCTERMS, SKOS

    text = (
        "塘桥街道2022年工作报告\n一、2021年工作回顾\n(一)党建引领\n1.深化“三会一代理”1机制。全年召开听证会120场。\n"
        "二、2022年工作打算\n(一)聚焦城市更新\n推进旧改征收。完成签约率99.8%。\n"
        "名词解释:\n1.“三会一代理”: 指听证会、协调会、评议会和群众事务代理制度。\n"
    )
    src = write_report(tmp_path / "tangqiao-2022.txt", text)
    build([src], out=tmp_path / "dist")
    g = Graph().parse(tmp_path / "dist" / "graph.nt", format="nt")
    titles = {str(o) for o in g.objects(None, DCTERMS.title)}
    keys = {str(o) for o in g.objects(None, SKOS.hiddenLabel) if o.language == "zh"}
    assert "深化“三会一代理”机制" in titles and "深化“三会一代理”机制" in keys
    assert not any("”1机制" in t for t in titles | keys)
