"""The dataset files written a graph at a time are rdflib's files of the same graphs."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from kg.serialise import _canonical_json, bind, write_artifacts
from kg.vocab import PREFIXES

BASE = "https://w3id.org/nanmatou/"


def _reference(graphs: dict) -> dict[str, str]:
    """What rdflib writes for these graphs (nq and nt as sorted distinct lines)."""
    ds = Dataset()
    union = Graph()
    bind(union, BASE)
    for name, triples in graphs.items():
        for t in triples:
            ds.graph(name).add(t)
            union.add(t)
    nq = sorted({ln for ln in ds.serialize(format="nquads").splitlines() if ln.strip()})
    nt = sorted({ln for ln in union.serialize(format="nt").splitlines() if ln.strip()})
    data = json.loads(ds.serialize(format="json-ld", context=dict(PREFIXES)))
    return {
        "dataset.nq": "\n".join(nq) + "\n",
        "graph.nt": "\n".join(nt) + "\n",
        "graph.ttl": union.serialize(format="turtle"),
        "dataset.jsonld": json.dumps(_canonical_json(data), ensure_ascii=False, indent=1, sort_keys=True) + "\n",
    }


def _graphs(with_blank: bool, count: int) -> dict:
    term = URIRef(BASE + "term/a")
    graphs = {}
    for i in range(count):
        name = URIRef(f"{BASE}graph/report/r{i}")
        item = URIRef(f"{BASE}report/r{i}/item-1")
        triples = [
            (item, RDF.type, URIRef(BASE + "ns#Initiative")),
            (item, RDFS.label, Literal(f"第{i}项", lang="zh")),
            (item, URIRef(BASE + "ns#order"), Literal(i + 1, datatype=XSD.integer)),
            (term, SKOS.prefLabel, Literal("术语", lang="zh")),  # stated in every graph: merged in graph.ttl
            (term, SKOS.altLabel, Literal(f"别名{i}", lang="zh")),
        ]
        if with_blank:
            node = BNode(f"b{i}")
            triples += [(item, SKOS.note, node), (node, RDFS.label, Literal("x"))]
        graphs[name] = triples
    return graphs


@pytest.mark.parametrize(("with_blank", "count"), [(False, 3), (True, 3), (False, 1)])
def test_files_are_rdflibs(tmp_path, with_blank, count):
    """Shared subjects, blank nodes (rdflib's writer for the union) and a single graph (JSON-LD without a list)."""
    graphs = _graphs(with_blank, count)
    write_artifacts(graphs, tmp_path, {"base": BASE})
    want = _reference(graphs)
    for name in ("dataset.nq", "graph.nt", "graph.ttl"):
        assert (tmp_path / name).read_text(encoding="utf-8") == want[name], name
    if not with_blank:  # blank node labels are the writer's own
        assert (tmp_path / "dataset.jsonld").read_text(encoding="utf-8") == want["dataset.jsonld"]
    trig = (tmp_path / "dataset.trig").read_text(encoding="utf-8")
    assert [ln for ln in trig.splitlines() if ln.endswith("> {")] == sorted(f"<{n}> {{" for n in graphs)
    assert not (tmp_path / ".writing").exists()


class Triples(list):
    """A list that can be watched with a weak reference."""


@pytest.mark.parametrize(("with_blank", "spilled"), [(False, -1), (True, -1), (False, 0)])
def test_a_spilled_graph_is_let_go_and_the_files_are_the_same(tmp_path, with_blank, spilled):
    """``add_spilled`` keeps neither the graph's triples nor its text; the files are rdflib's all the same.

    With a blank node rdflib writes the union's Turtle, which reads the spilled graph back from the work
    folder; spilled first, later graphs state its subjects and ``graph.ttl`` reads it back to merge them.
    """
    import gc
    import weakref

    from kg.serialise import ArtifactWriter

    graphs = _graphs(with_blank, 3)
    names = list(graphs)
    writer = ArtifactWriter(tmp_path, BASE)
    for i, name in enumerate(names):
        if i != spilled % len(names):
            writer.add(name, graphs[name])
            continue
        held = Triples(graphs[name])
        gone = weakref.ref(held)
        writer.add_spilled(name, held)
        del held
        gc.collect()
        assert gone() is None
    writer.finish({"base": BASE})
    want = _reference(graphs)
    for name in ("dataset.nq", "graph.nt", "graph.ttl"):
        assert (tmp_path / name).read_text(encoding="utf-8") == want[name], name
    assert not (tmp_path / ".writing").exists()


_LINE = st.text(st.characters(exclude_characters="\n\r", exclude_categories=["Cs"]), max_size=12)


@settings(max_examples=40, deadline=None)
@given(runs=st.lists(st.lists(_LINE, max_size=8), max_size=5))
def test_runs_merged_by_sort_are_the_runs_merged_in_python(tmp_path_factory, runs):
    """``sort -m -u`` in the C locale gives Python's merge byte for byte: code point order is
    UTF-8 byte order, each distinct line once (across runs and within one), and an empty merge is
    a newline. Without ``sort``, Python merges."""
    import shutil as sh

    from kg.dataset_files import merge_runs, write_sorted

    folder = tmp_path_factory.mktemp("runs")
    paths = [write_sorted(folder / f"run-{i}", lines) for i, lines in enumerate(runs)]
    want = "".join(ln + "\n" for ln in sorted({ln for lines in runs for ln in lines})) or "\n"
    merge_runs(paths, folder / "by-sort", folder)
    with pytest.MonkeyPatch.context() as m:
        m.setattr(sh, "which", lambda _name: None)
        merge_runs(paths, folder / "by-python", folder)
    assert (folder / "by-sort").read_text(encoding="utf-8") == want
    assert (folder / "by-python").read_bytes() == (folder / "by-sort").read_bytes()


def test_sort_merges_a_thousand_runs_in_one_pass(tmp_path, monkeypatch):
    """More runs than a default limit of open files: the soft limit is raised (within the hard
    one) so that ``sort`` merges them all at once, not in passes through temporary files that
    write every byte twice."""
    import resource
    import subprocess as sp

    from kg import dataset_files
    from kg.dataset_files import FILES_SPARE, merge_runs, write_sorted

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < 1200 + FILES_SPARE:
        pytest.skip(f"the hard limit on open files ({hard}) is below what the test needs")
    runs = [[f"line {i:05d}", f"shared {i % 7}"] for i in range(1200)]
    paths = [write_sorted(tmp_path / f"run-{i}", lines) for i, lines in enumerate(runs)]
    seen: list[list[str]] = []
    real = sp.run

    def recording(cmd: list[str], **kwargs: object) -> sp.CompletedProcess[bytes]:
        seen.append(cmd)
        return real(cmd, **kwargs)  # type: ignore[call-overload,no-any-return]

    monkeypatch.setattr(dataset_files.subprocess, "run", recording)
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (256, hard))  # as on a machine with a low default
        merge_runs(paths, tmp_path / "merged", tmp_path)
        assert resource.getrlimit(resource.RLIMIT_NOFILE)[0] >= 1200 + FILES_SPARE
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    (cmd,) = seen
    assert "--batch-size=1200" in cmd
    want = sorted({ln for lines in runs for ln in lines})
    assert (tmp_path / "merged").read_text(encoding="utf-8").splitlines() == want
