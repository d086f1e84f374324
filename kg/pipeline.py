"""The build: sources → parse → graph → merge curation → SHACL → artifacts.

Deterministic (the same inputs give byte-identical files) and atomic (a
failed build leaves the previous artifacts untouched).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import PROV, RDF, RDFS
from rdflib.term import Literal

from kg import __version__
from kg.building.glossary_graph import GlossaryGraphBuilder, mint_terms
from kg.building.report_graph import ReportGraphBuilder
from kg.curation import Curation, load_curation
from kg.errors import SourceError
from kg.index import INDEX_FILE, write_index
from kg.matcher import Matcher
from kg.parsing.coverage import number_coverage
from kg.parsing.model import Report
from kg.parsing.report import parse_file
from kg.resources import CURATION, DEFAULT_REPORT, ontology_dir
from kg.serialise import write_artifacts
from kg.store import STORE_DIR, create_store
from kg.text import normalise
from kg.validation import union, validate_graph
from kg.vocab import NMT, IRIs

Progress = Callable[[str], None]


@dataclass
class BuildResult:
    """What a build produced, for the CLI and the build report."""

    out: Path
    reports: list[Report]
    graphs: dict[str, int] = field(default_factory=dict)  # graph IRI → triples
    report: dict[str, object] = field(default_factory=dict)

    def sources(self) -> list[dict[str, Any]]:
        """The per-source part of the build report."""
        found = self.report.get("sources", [])
        return list(found) if isinstance(found, list) else []


def _digest(paths: list[Path], extra: str) -> str:
    h = hashlib.sha256(extra.encode())
    for p in paths:
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def assemble(
    sources: list[Path], curation: Curation, iris: IRIs, progress: Progress | None = None, encoding: str | None = None
) -> tuple[Dataset, list[Report], dict[str, object]]:
    """Parse the sources and build the dataset (no validation, no writing)."""
    reports: list[Report] = []
    for i, src in enumerate(sources, 1):
        if progress and len(sources) > 1:
            progress(f"[{i}/{len(sources)}] parsing {src.name}")
        try:
            reports.append(parse_file(src, encoding))
        except SourceError as exc:
            if str(exc).startswith(str(src)):
                raise
            raise SourceError(f"{src}: {exc}") from None
    slugs = [r.slug for r in reports]
    dupes = sorted({s for s in slugs if slugs.count(s) > 1})
    if dupes:
        raise SourceError(f"two sources share the name '{dupes[0]}': rename one")

    term_iris = mint_terms(curation, reports, iris)
    glossary = GlossaryGraphBuilder(curation, iris, term_iris)
    terms = Matcher([(label, str(iri)) for label, iri in term_iris.items()])

    ds = Dataset()
    item_iris: dict[str, URIRef] = {}
    used_labels: set[str] = set()
    inputs = [*sources, *curation.files, ontology_dir() / "nmt.ttl"]
    build = iris.build(_digest(inputs, __version__))
    known = {normalise(lab) for t in curation.terms for lab in [t.zh, *t.alt_zh]}
    known |= {n.term for r in reports for n in r.notes}
    for i, r in enumerate(reports, 1):
        if progress and len(reports) > 1:
            progress(f"[{i}/{len(reports)}] building graph of {r.slug}")
        # Each report matches only the entities it mentions: generic alt labels stay with their place.
        entities = Matcher(glossary.entity_labels(r))
        rb = ReportGraphBuilder(r, curation, iris, term_iris, terms, known, entities)
        g = rb.build()
        item_iris.update({f"{r.slug}/{k}": v for k, v in rb.item_iris.items()})
        used_labels |= rb.used_labels
        gname = iris.graph(f"report/{r.slug}")
        g.add((gname, PROV.wasGeneratedBy, build))
        g.add((gname, PROV.wasDerivedFrom, iris.report(r.slug)))
        _copy(ds, gname, g)

    cg = glossary.build(reports, item_iris)
    cname = iris.graph("curation")
    cg.add((cname, PROV.wasGeneratedBy, build))
    cg.add((build, RDF.type, NMT.Build))
    cg.add((build, RDF.type, PROV.Activity))
    cg.add((build, NMT.softwareVersion, Literal(__version__)))
    cg.add((build, RDFS.label, Literal(f"kg build {__version__}")))
    for r in reports:
        cg.add((build, PROV.used, iris.report(r.slug)))
    _copy(ds, cname, cg)

    og = Graph().parse(ontology_dir() / "nmt.ttl", format="turtle")
    _copy(ds, iris.graph("ontology"), og)
    report = _build_report(reports, curation, term_iris)
    report["unused_quantity_labels"] = sorted(set(curation.quantity_labels) - used_labels)
    return ds, reports, report


def _copy(ds: Dataset, name: URIRef, g: Graph) -> None:
    target = ds.graph(name)
    for t in g:
        target.add(t)


def _build_report(reports: list[Report], curation: Curation, term_iris: dict[str, URIRef]) -> dict[str, object]:
    """What the parser could not place, and what the curation does not cover."""
    sources: list[dict[str, object]] = []
    out: dict[str, object] = {"sources": sources}
    for r in reports:
        unclassified = sorted(
            {q.text for q in r.quotes if q.text not in term_iris and q.text not in curation.excluded_quotes}
        )
        curated_titles = set(curation.structure)
        untitled = [i.title for i in r.initiatives() if i.title not in curated_titles]
        notes_mismatch = [
            f"note {n.number} ({n.term}) is curated as note {t.note}"
            for n in r.notes
            if (t := curation.term(n.term)) is not None and t.note is not None and t.note != n.number
        ]
        cov = number_coverage(r, curation.ignored_numbers)
        sources.append(
            {
                "slug": r.slug,
                "sha256": hashlib.sha256(r.text.encode("utf-8")).hexdigest(),
                "parts": len(r.parts),
                "sections": sum(len(p.sections) for p in r.parts),
                "initiatives": sum(1 for i in r.initiatives() if i.kind == "initiative"),
                "practical_projects": sum(1 for i in r.initiatives() if i.kind == "project"),
                "notes": len(r.notes),
                "markers": len(r.markers),
                "quotes": len(r.quotes),
                "quantities": len(r.quantities),
                "unplaced": [{"start": u.start, "end": u.end, "reason": u.reason, "text": u.text} for u in r.unplaced],
                "warnings": r.warnings + notes_mismatch,
                "unclassified_quotes": unclassified,
                "uncurated_work_items": untitled,
                "numbers": {
                    "total": cov.total,
                    "quantities": cov.quantities,
                    "markers": cov.markers,
                    "ignored": dict(sorted(cov.ignored.items())),
                    "unaccounted": [{"start": s, "end": e, "number": n} for s, e, n, _line in cov.unaccounted],
                },
            }
        )
    return out


def build(
    sources: list[Path] | None = None,
    out: Path = Path("dist"),
    curation_dir: Path | None = None,
    base: str | None = None,
    progress: Progress | None = None,
    encoding: str | None = None,
) -> BuildResult:
    """Run the whole build and write the artifacts to ``out`` atomically."""
    sources = sources or [DEFAULT_REPORT]
    curation = load_curation(curation_dir or CURATION)
    iris = IRIs(base)
    ds, reports, report = assemble(sources, curation, iris, progress, encoding)
    if progress:
        progress("validating with SHACL")
    merged = union(ds)
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    findings = validate_graph(merged, errors_file=out.with_name(f"{out.name}.shacl-errors.txt"))
    report["shacl"] = {
        "violations": 0,
        "warnings": [f.line for f in findings if f.severity == "warning"],
        "infos": [f.line for f in findings if f.severity == "info"],
    }
    graphs = {str(g.identifier): len(g) for g in ds.graphs() if len(g)}
    report["graphs"] = dict(sorted(graphs.items()))
    report["triples"] = sum(graphs.values())
    report["base"] = iris.base
    report["version"] = __version__

    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    tmp.chmod(0o755)
    try:
        if progress:
            progress("writing artifacts")
        write_artifacts(ds, merged, tmp, report)
        create_store(tmp / "dataset.nq", tmp / STORE_DIR)
        write_index(merged, iris, tmp / INDEX_FILE, {r.slug: r.text for r in reports})
        (tmp / "build-report.json").write_text(
            json.dumps(report, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8"
        )
        _swap(tmp, out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return BuildResult(out, reports, graphs, report)


def _swap(new: Path, out: Path) -> None:
    """Replace ``out`` by ``new``: the old folder is moved aside, never half-written."""
    old = out.with_name(f".{out.name}-old")
    shutil.rmtree(old, ignore_errors=True)
    if out.exists():
        out.rename(old)
    new.rename(out)
    shutil.rmtree(old, ignore_errors=True)
