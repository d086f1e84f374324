"""One networkx projection of the knowledge graph, built in one place and reused by every view.

Nodes: glossary terms, colour dimensions, initiatives and projects, sections
and parts. Edges carry the relation they stand for (``mentions``,
``alignsWith``, ``isPartOf``, ``related``, ``hasComponent``, ``continues``).
It is read off the build's index (itself read off the RDF graph), so views
need neither rdflib nor the SPARQL engine.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Any

import networkx as nx

from kg.errors import KGError
from kg.glossary import Glossary, UnknownTerm

PRECEDENCE = ["hasComponent", "mentions", "alignsWith", "isPartOf", "continues", "related"]
RELATIONS = {
    "mentions": ("提及", "mentions"),
    "alignsWith": ("对应维度", "aligns with"),
    "isPartOf": ("属于", "is part of"),
    "related": ("相关", "is related to"),
    "hasComponent": ("组成", "has the component"),
    "continues": ("延续", "continues"),
}
NEUTRAL = "#607D8B"


class ViewError(KGError):
    """A view that cannot be drawn: unknown dimension, section or term, no path."""


@dataclass
class Projection:
    graph: nx.Graph
    glossary: Glossary

    def node_for_term(self, text: str) -> str:
        """A term's node from its slug (san-hui-yi-dai-li), label, pinyin or English label."""
        if text in self.graph and self.graph.nodes[text]["kind"] == "term":
            return text
        try:
            t = self.glossary.find(text)
        except UnknownTerm as exc:
            part = self.glossary.component(text)  # 定力: drawn as the term it is part of (五个力)
            if part is None:
                raise ViewError(str(exc)) from None
            t = self.glossary.by_iri[part["part_of"]["iri"]]
        return str(t["slug"])


def _slug_of(iri: str) -> str:
    """Stable readable node ids: term slug, dim-blue, <report>-p1-s3-i1 (deep links use them)."""
    if "/term/" in iri:
        return iri.rsplit("/term/", 1)[1]
    if "/dimension/" in iri:
        return "dim-" + iri.rsplit("/", 1)[1]
    tail = iri.split("/report/", 1)[1].split("/", 1)
    report, path = tail[0], tail[1] if len(tail) > 1 else ""
    short = (
        path.replace("part-", "p")
        .replace("section-", "s")
        .replace("initiative-", "i")
        .replace("project-", "x")
        .replace("/", "-")
    )
    return f"{report}-{short}" if short else report


def build_projection(glossary: Glossary) -> Projection:
    """The whole projection: every node and edge, in a deterministic order."""
    g = nx.Graph()
    dims = {d["iri"]: d for d in glossary.data["dimensions"]}

    def link(a: str, b: str, relation: str, src: str, **extra: Any) -> None:
        # One edge per pair: the more specific relation wins (hasComponent over related …).
        if g.has_edge(a, b) and PRECEDENCE.index(g.edges[a, b]["relation"]) <= PRECEDENCE.index(relation):
            return
        g.add_edge(a, b, relation=relation, src=src, **extra)

    def add(iri: str, kind: str, zh: str, en: str, colour: str, definition: str = "", **extra: Any) -> str:
        node = _slug_of(iri)
        g.add_node(
            node, iri=iri, kind=kind, zh=zh or "", en=en or "", colour=colour, definition=definition or "", **extra
        )
        return node

    for d in glossary.data["dimensions"]:
        add(
            d["iri"],
            "dimension",
            d["label"]["zh"],
            d["label"]["en"],
            d["display"],
            d["definition"]["en"] or "",
            definition_zh=d["definition"]["zh"] or "",
        )
    for rep in glossary.section("reports"):
        for part in rep["parts"]:
            p = add(part["iri"], "part", part["title"]["zh"], part["title"]["en"], NEUTRAL, year=part["year"] or "")
            for sec in part["sections"]:
                s = add(sec["iri"], "section", sec["title"]["zh"], sec["title"]["en"], NEUTRAL)
                link(s, p, relation="isPartOf", src=s)
                for item in sec["items"]:
                    primary = item["dimensions"][0] if item["dimensions"] else None
                    colour = dims[primary]["display"] if primary in dims else NEUTRAL
                    i = add(
                        item["iri"],
                        item["kind"],
                        item["title"]["zh"],
                        item["title"]["en"],
                        colour,
                        dimension=_slug_of(primary) if primary else "",
                    )
                    link(i, s, relation="isPartOf", src=i)
                    for d in item["dimensions"]:
                        link(i, _slug_of(d), relation="alignsWith", primary=d == primary, src=i)
    for rep in glossary.section("reports"):
        for part in rep["parts"]:
            for sec in part["sections"]:
                for item in sec["items"]:
                    for c in item["continues"]:
                        if _slug_of(c) in g:
                            link(_slug_of(item["iri"]), _slug_of(c), "continues", _slug_of(item["iri"]))
    for t in glossary.terms:
        own = [d for d in t["dimensions"] if d in dims]
        definition, definition_zh = t["definition"]["en"] or "", t["definition"]["zh"] or ""
        if t["type"] == "candidate":
            definition, definition_zh = "candidate — not yet curated", "候选术语,尚未审定"
        node = add(
            t["iri"],
            "term",
            t["label"]["zh"],
            t["label"]["en"],
            dims[own[0]]["display"] if own else NEUTRAL,
            _short(definition),
            definition_zh=_short(definition_zh),
            # Terms of several dimensions are drawn with each colour; the first is the primary one.
            colours=[dims[d]["display"] for d in own],
            dimension=_slug_of(own[0]) if own else "",
            pinyin=t["pinyin"] or "",
            alt=[*t["alt_labels"]["zh"], *t["alt_labels"]["en"]],
        )
        for d in t["dimensions"]:
            if d in dims:
                link(node, _slug_of(d), relation="alignsWith", primary=False, src=node)
        for m in glossary.mentions(t):
            if m.get("initiative_iri"):
                link(_slug_of(m["initiative_iri"]), node, relation="mentions", src=_slug_of(m["initiative_iri"]))
    parts: dict[str, str] = {}  # a part's node by its zh label: 听证会 of 三会一代理 and of 三会制度 is one
    for t in glossary.terms:
        for r in t["related"]:
            if r in glossary.by_iri:
                link(_slug_of(t["iri"]), _slug_of(r), relation="related", src=_slug_of(t["iri"]))
        for c in t["components"]:
            if c.get("iri") and c["iri"] in glossary.by_iri:
                link(_slug_of(t["iri"]), _slug_of(c["iri"]), relation="hasComponent", src=_slug_of(t["iri"]))
            elif c.get("label", {}).get("zh"):
                # A part named only inside its term's note (五个力's 眼力, 动力 …) is drawn beside it,
                # once for every term that names it.
                parent = _slug_of(t["iri"])
                if c["label"]["zh"] in parts:
                    link(parent, parts[c["label"]["zh"]], relation="hasComponent", src=parent)
                    continue
                node = parts[c["label"]["zh"]] = f"{parent}~{c['order']}"
                qualifier = c.get("qualifier") or {}
                g.add_node(
                    node,
                    iri=f"{t['iri']}#component-{c['order']}",
                    kind="component",
                    zh=c["label"]["zh"],
                    en=c["label"].get("en") or "",
                    colour=g.nodes[parent]["colour"],
                    definition=qualifier.get("en") or "",
                    definition_zh=qualifier.get("zh") or "",
                    pinyin=c.get("pinyin") or "",
                )
                link(parent, node, relation="hasComponent", src=parent)
    for n in g.nodes:  # how connected a node is in the whole graph: search ranks by it
        g.nodes[n]["links"] = g.degree(n)
    return Projection(g, glossary)


def _short(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _subgraph(p: Projection, nodes: set[str]) -> nx.Graph:
    return p.graph.subgraph(sorted(nodes)).copy()


GROUPING = ("alignsWith", "isPartOf")


def _primary(g: nx.Graph, a: str, b: str) -> bool:
    """Whether the edge a–b joins a term to its first (primary) dimension."""
    return g.nodes[a].get("dimension") == b or g.nodes[b].get("dimension") == a


def overview(p: Projection) -> nx.Graph:
    """Dimensions, sections, parts, work items and every term with at least one link.

    Only the grouping edges are kept (term to dimension, work item to section to part):
    drawn on one slide, every mention would hide the shape of the whole. Work items show
    their dimension by the colour of their outline; term views show every relation.
    """
    keep = {
        n
        for n, d in p.graph.nodes(data=True)
        if d["kind"] not in ("term", "component") or (d["kind"] == "term" and p.graph.degree(n) > 0)
    }
    g = _subgraph(p, keep)
    # A work item's dimension is its outline colour here; a line from each would cross the whole slide.
    dropped = [
        (a, b)
        for a, b, d in g.edges(data=True)
        if d["relation"] not in GROUPING
        or (d["relation"] == "alignsWith" and (g.nodes[d["src"]]["kind"] != "term" or not _primary(g, a, b)))
    ]
    g.remove_edges_from(dropped)
    return g


def dimension_view(p: Projection, name: str) -> nx.Graph:
    """One dimension with the work items and terms aligned with it, and their sections."""
    key = name.strip().lower()
    dim = None
    for n, d in p.graph.nodes(data=True):
        if d["kind"] == "dimension" and key in (n[4:], d["zh"], d["en"].lower(), d["zh"][:2]):
            dim = n
    if dim is None:
        names = ", ".join(n[4:] for n, d in p.graph.nodes(data=True) if d["kind"] == "dimension")
        raise ViewError(f"no dimension '{name}' (one of: {names})")
    keep = {dim} | set(p.graph.neighbors(dim))
    keep |= {s for n in list(keep) for s in p.graph.neighbors(n) if p.graph.nodes[s]["kind"] == "section"}
    return _subgraph(p, keep)


def term_view(p: Projection, term: str, depth: int = 1) -> nx.Graph:
    """A term's neighbourhood up to ``depth`` links away."""
    node = p.node_for_term(term)
    return nx.ego_graph(p.graph, node, radius=max(depth, 1)).copy()


def section_view(p: Projection, ident: str) -> nx.Graph:
    """A section with its work items, the terms they mention and their dimensions."""
    sections = [(n, d) for n, d in p.graph.nodes(data=True) if d["kind"] == "section"]
    key = ident.strip().strip("/")
    # An id (p1-s6, nanmatou-2021-report-p1-s6, part-1/section-6) names one section of a report;
    # words of a title may name several.
    candidates = [n for n, d in sections if n == key or n.endswith("-" + key) or d["iri"].endswith("/" + key)]
    if not candidates:
        candidates = [n for n, d in sections if key and key in d["zh"]]
    if not candidates:
        example = sorted(n for n, _d in sections)[:1] or ["p1-s1"]
        raise ViewError(
            f"no section '{ident}' (use an id such as {example[0]}, p1-s6 or part-2/section-3, or words of its title)"
        )
    if len(candidates) > 1:
        named = "; ".join(f"{n} ({p.graph.nodes[n]['zh']})" for n in sorted(candidates, key=_natural)[:6])
        raise ViewError(f"'{ident}' names {len(candidates)} sections: {named}. Use one of these ids")
    sec = candidates[0]
    items = {n for n in p.graph.neighbors(sec) if p.graph.nodes[n]["kind"] in ("initiative", "project")}
    keep = {sec} | items
    for i in items:
        keep |= {n for n in p.graph.neighbors(i) if p.graph.nodes[n]["kind"] in ("term", "dimension")}
    return _subgraph(p, keep)


def _natural(node: str) -> list[object]:
    """p1-s10 after p1-s9: numbers compared as numbers."""
    return [int(x) if x.isdigit() else x for x in re.split(r"(\d+)", node)]


def path_view(p: Projection, a: str, b: str, lang: str = "zh") -> tuple[nx.Graph, list[str]]:
    """The shortest path between two terms, and the same path said in words."""
    na, nb = p.node_for_term(a), p.node_for_term(b)
    try:
        path = nx.shortest_path(p.graph, na, nb)
    except nx.NetworkXNoPath:
        raise ViewError(f"'{a}' and '{b}' are not connected in the graph") from None
    g = _subgraph(p, set(path))
    # Only the path's own steps: a link between two of its nodes further apart would cut across it.
    steps = {frozenset(e) for e in itertools.pairwise(path)}
    g.remove_edges_from([e for e in list(g.edges) if frozenset(e) not in steps])
    g.graph["path"] = path
    words = []
    for x, y in itertools.pairwise(path):
        edge = p.graph.edges[x, y]
        zh, en = RELATIONS[edge["relation"]]
        # Say it the way the relation runs: "五个力 aligns with …", not the path's direction.
        a, b = (x, y) if edge.get("src", x) == x else (y, x)
        dx, dy = p.graph.nodes[a], p.graph.nodes[b]
        if lang == "zh":
            words.append(f"{dx['zh']} —{zh}— {dy['zh']}  ({dx['en']} {en} {dy['en']})")
        else:
            words.append(f"{dx['en'] or dx['zh']} —{en}→ {dy['en'] or dy['zh']}")
    return g, words


# The most nodes one view draws. The packaged report's whole projection has 280; a term of a
# thousand-report corpus has tens of thousands of neighbours, and the layout holds n² arrays
# (13,772 nodes asked for 24 GB and the server was killed).
MAX_NODES = 300
KIND_RANK = {"dimension": 0, "part": 1, "section": 2, "term": 3, "component": 4, "initiative": 5, "project": 5}


def bounded(g: nx.Graph, seeds: list[str], limit: int | None = None) -> tuple[nx.Graph, int]:
    """``g`` cut to ``limit`` nodes, and how many it left out (0 when it fits).

    Nodes are kept nearest the seeds first (a term view's term, a path's steps); at
    the same distance, dimensions, parts, sections and terms before work items, then
    the best connected, then by id, so the cut is deterministic.
    """
    limit = MAX_NODES if limit is None else limit
    if g.number_of_nodes() <= limit:
        return g, 0
    distance = dict(nx.multi_source_dijkstra_path_length(g, set(seeds))) if seeds else {}
    far = 1 + max(distance.values(), default=-1)  # nodes the seeds do not reach come last (all: 0)

    def rank(n: str) -> tuple[int, int, int, str]:
        return (distance.get(n, far), KIND_RANK.get(g.nodes[n]["kind"], 9), -g.degree(n), n)

    keep = sorted(g.nodes, key=rank)[:limit]
    cut = g.subgraph(sorted(keep)).copy()
    return cut, g.number_of_nodes() - limit


def central_terms(p: Projection, limit: int = 10) -> list[dict[str, Any]]:
    """Terms ranked by betweenness centrality in the whole projection (degree breaks ties)."""
    # Components named only in notes are leaves of their term: they would only inflate its score.
    core = p.graph.subgraph(n for n, d in p.graph.nodes(data=True) if d["kind"] != "component")
    bc = nx.betweenness_centrality(core, normalized=True, seed=7)
    terms = [(n, d) for n, d in core.nodes(data=True) if d["kind"] == "term"]
    ranked = sorted(terms, key=lambda nd: (-bc[nd[0]], -core.degree(nd[0]), nd[0]))
    return [
        {"term": d["zh"], "en": d["en"], "iri": d["iri"], "betweenness": round(bc[n], 4), "degree": core.degree(n)}
        for n, d in ranked[:limit]
    ]
