"""Linked-data documents: every IRI minted under the base answers with a 303 to its document,
as HTML (a term, dimension, part, section, work item, report or entity page, else its
statements) or as RDF (Turtle, N-Triples, JSON-LD, RDF/XML) described by a worker's query."""

from __future__ import annotations

import json
import re
from functools import cached_property
from typing import Any

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from kg.vocab import PREFIXES
from kg.web import i18n
from kg.web.lanes import client_of
from kg.web.reports import debris, header_end, reading
from kg.web.site import Site
from kg.web.sparql import accept_ranked, accept_weights

DOCS = {".ttl": "turtle", ".nt": "ntriples", ".jsonld": "jsonld", ".rdf": "rdfxml", ".html": "html"}
DOC_TYPES = {
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
    "html": "text/html",
}
MACHINE_TYPES = {
    "text/turtle": ".ttl",
    "application/n-triples": ".nt",
    "application/ld+json": ".jsonld",
    "application/rdf+xml": ".rdf",
    "text/plain": ".nt",
    "application/*": ".jsonld",
    "application/json": ".jsonld",  # JSON-LD is JSON
}
HTML_TYPES = ("text/html", "application/xhtml+xml", "text/*", "*/*")
# The shape of every path the build mints under the base (pinyin slugs, numbers, hyphens): a
# requested path of any other shape is not looked up in the store (no query is built of it).
MINTED = re.compile(r"[a-z0-9][a-z0-9_.-]*(?:/[a-z0-9][a-z0-9_.-]*){0,7}")
MINTED_MAX = 300
LABELS = (  # a resource's name on its page, the first found, in the page's language if it has one
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://purl.org/dc/terms/title",
    "http://www.w3.org/ns/oa#exact",
)
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
PLAIN = ("http://www.w3.org/2001/XMLSchema#string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString")
STATEMENTS_SHOWN, REFERRERS_SHOWN = 500, 100


def document_for(accept: str) -> str | None:
    """The document an entity IRI redirects to for this Accept header: the most preferred type
    (q-values honoured) that we write; HTML without a header or for a wildcard; None when none of
    the types asked for is one we write (406)."""
    if not accept.strip():
        return ".html"
    refused = {media for media, q in accept_weights(accept) if q == 0}
    for media in accept_ranked(accept):
        if media in HTML_TYPES:
            if "text/html" not in refused:
                return ".html"
            if media in ("*/*", "text/*"):  # anything but the HTML that was refused
                return ".ttl"
            continue
        if media in MACHINE_TYPES:
            return MACHINE_TYPES[media]
    return None


def describe_query(iri: str) -> str:
    """CONSTRUCT of what a resource's document holds: its statements and those of its parts, the
    resources minted under it (``#source``, ``#position``, ``/component-2`` …).

    The parts are reached from it, at most two links away (a mention → its ``#source`` → its
    ``#position``), not found by testing every subject of the store (a scan of the whole corpus
    for each document)."""
    under = f'(STRSTARTS(STR(?s), "{iri}#") || STRSTARTS(STR(?s), "{iri}/component-"))'
    return (
        "CONSTRUCT { ?s ?p ?o } WHERE { { SELECT DISTINCT ?s WHERE { "
        f"{{ BIND (<{iri}> AS ?s) }} "
        f"UNION {{ <{iri}> ?p1 ?s FILTER (isIRI(?s) && {under}) }} "
        # The first link's targets narrowed to the resource's own parts before the second link is
        # followed: a term links to a thousand notes of a corpus (2.2 s → ms at 1,000 reports).
        f"UNION {{ {{ SELECT ?m WHERE {{ <{iri}> ?p1 ?m "
        f'FILTER (isIRI(?m) && STRSTARTS(STR(?m), "{iri}")) }} }} '
        f"?m ?p2 ?s FILTER (isIRI(?s) && {under}) }} }} }} ?s ?p ?o }}"
    )


def compact(iri: str) -> str:
    """``prefix:name`` for an IRI in a namespace of :data:`kg.vocab.PREFIXES`, else the IRI."""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


MENTIONS_PER_PAGE = 50  # a term page lists this many mentions, with links to the other pages


def _pager(request: Request, page: int, pages: int, offset: int, shown: int, total: int) -> dict[str, Any] | None:
    """What a term page's mention pager shows, or None when the mentions fit on one page.

    Its links keep the request's other parameters (``lang``), as the language switch does.
    """
    if pages <= 1:
        return None

    def href(n: int) -> str:
        return "?" + request.url.include_query_params(page=n).query + "#mentions"

    return {
        "first": offset + 1,
        "last": offset + shown,
        "total": total,
        "prev": href(page - 1) if page > 1 else None,
        "next": href(page + 1) if page < pages else None,
    }


class Documents(Site):
    """The documents of the resources (route handler: :meth:`resource`)."""

    async def resource(self, request: Request) -> Response:
        """Any entity IRI: 303 to a document, or the document itself (HTML, Turtle, N-Triples, JSON-LD)."""
        path = request.url.path.lstrip("/")
        suffix = next((s for s in DOCS if path.endswith(s)), None)
        iri = self.base + (path[: -len(suffix)] if suffix else path)
        known = self._known(iri)  # a term, dimension, part, section, work item, report or entity
        client = client_of(request)
        if not known and not await self._in_store(iri, client):  # any other subject: a quantity, a mention …
            return self.not_found(request, iri)
        local = self.local(iri)
        if suffix is None:
            target = document_for(request.headers.get("accept", ""))
            if target is None:
                types = ", ".join(sorted({*DOC_TYPES.values()}))
                return PlainTextResponse(f"this resource is available as {types}\n", 406, headers={"Vary": "Accept"})
            query = f"?{request.url.query}" if request.url.query else ""  # a term page's ?page= goes along
            return RedirectResponse(local + target + query, 303, headers={"Vary": "Accept"})
        links = ", ".join(f'<{local}{s}>; rel="alternate"; type="{DOC_TYPES[k]}"' for s, k in DOCS.items())
        headers = {"Link": links}
        if DOCS[suffix] != "html":
            return await self._rdf(iri, DOCS[suffix], headers, client)
        response = await self._html(request, iri) if known else await self._statements(request, iri, client)
        response.headers.update(headers)
        return response

    def _job(self, query: str, select_format: str | None, graph_format: str | None) -> dict[str, Any]:
        """A worker job for one of the pages' own queries, on the default graph.

        Not checked by the guard, which is for queries from outside (it refuses a long IRI as too
        intricate): these are written here, with IRIs of the minted shape only (:data:`MINTED`).
        """
        return {
            "guard": False,
            "query": query,
            "default_graphs": [],
            "named_graphs": [],
            "select_format": select_format,
            "graph_format": graph_format,
            "max_rows": self.config.max_rows,
            "max_bytes": self.config.max_result_bytes,
        }

    async def _select(self, query: str, client: str = "") -> list[dict[str, Any]] | None:
        """The rows of a SELECT run by a worker (the documents' lane), as SPARQL JSON bindings; None
        when the worker refused it (an IRI the engine does not take)."""
        job = self._job(query, "json", None)
        answer = await self.pool.run(job, self.config.query_timeout, client, lane="documents")
        if answer.status != 200:
            return None
        return list(json.loads(answer.body)["results"]["bindings"])

    async def _in_store(self, iri: str, client: str) -> bool:
        """Whether ``iri`` is the subject of a statement (remembered, found or not: the store does not
        change). Only IRIs of the shape the build mints are looked up; the look-up is the client's."""
        found = self._subjects.get(iri)
        if found is None:
            path = iri[len(self.base) :]
            found = False
            if iri.startswith(self.base) and len(path) <= MINTED_MAX and MINTED.fullmatch(path):
                found = bool(await self._select(f"SELECT ?p WHERE {{ <{iri}> ?p ?o }} LIMIT 1", client))
            if len(self._subjects) >= 10_000:
                self._subjects.clear()
            self._subjects[iri] = found
        return found

    def _value(self, b: dict[str, Any], label: str | None = None) -> dict[str, Any]:
        """A term of a SPARQL JSON row as a page shows it: a link (labelled if it has a label), or text."""
        if b["type"] == "uri":
            iri = b["value"]
            name = compact(iri)
            return {"href": self.local(iri), "iri": iri, "text": label or (name if name != iri else self.local(iri))}
        if b["type"] == "bnode":
            return {"text": "_:" + b["value"]}
        datatype = b.get("datatype")
        note = compact(datatype) if datatype and datatype not in PLAIN else ""
        return {"text": b["value"], "lang": b.get("xml:lang", ""), "note": note}

    async def _statements(self, request: Request, iri: str, client: str) -> Response:
        """The page of a resource that has no page of its own: its statements and who refers to it."""
        lang = i18n.choose(request)[0]
        names = " ".join(f"<{p}>" for p in LABELS)
        rows = await self._select(
            f"SELECT ?p ?o (SAMPLE(?l) AS ?label) WHERE {{ <{iri}> ?p ?o "
            f'OPTIONAL {{ VALUES ?named {{ {names} }} ?o ?named ?l FILTER (LANGMATCHES(LANG(?l), "{lang}")) }} }}'
            f" GROUP BY ?p ?o ORDER BY ?p ?o LIMIT {STATEMENTS_SHOWN + 1}",
            client,
        )
        # Who refers to it, by name where it has one (a work item by its title, in the page's
        # language or else in Chinese), not only by its path.
        referrers = await self._select(
            f"SELECT ?s ?p (COALESCE(SAMPLE(?l), SAMPLE(?z)) AS ?label) WHERE {{ ?s ?p <{iri}> "
            f'OPTIONAL {{ VALUES ?named {{ {names} }} ?s ?named ?l FILTER (LANGMATCHES(LANG(?l), "{lang}")) }} '
            f'OPTIONAL {{ VALUES ?zhnamed {{ {names} }} ?s ?zhnamed ?z FILTER (LANGMATCHES(LANG(?z), "zh")) }} }}'
            f" GROUP BY ?s ?p ORDER BY ?p ?s LIMIT {REFERRERS_SHOWN}",
            client,
        )
        if rows is None or referrers is None:
            return self.not_found(request, iri)
        more = len(rows) > STATEMENTS_SHOWN
        shown = [
            {"p": self._value(r["p"]), "o": self._value(r["o"], r.get("label", {}).get("value"))}
            for r in rows[:STATEMENTS_SHOWN]
        ]
        heading = {"zh": "", "en": ""}
        for name in reversed(LABELS):  # the first of LABELS wins
            for r in rows:
                o = r["o"]
                if r["p"]["value"] == name and o["type"] == "literal":
                    tag = o.get("xml:lang", "")
                    heading["en" if tag.startswith("en") else "zh"] = o["value"]
        if not heading["zh"] and not heading["en"]:
            heading = {"zh": self.local(iri), "en": self.local(iri)}
        kinds = [row["o"] for row in shown if row["p"].get("iri") == RDF_TYPE]
        incoming = [
            {"s": self._value(r["s"], r.get("label", {}).get("value")), "p": self._value(r["p"])} for r in referrers
        ]
        alternates = [
            {"type": DOC_TYPES[k], "href": self.local(iri) + s, "label": s[1:]} for s, k in DOCS.items() if k != "html"
        ]
        return self.render(
            request,
            "resource.html",
            title=heading[lang] or heading["zh"] or heading["en"],
            heading=heading,
            iri=iri,
            kinds=kinds,
            rows=shown,
            more=more,
            limit=STATEMENTS_SHOWN,
            incoming=incoming,
            alternates=alternates,
        )

    def _known(self, iri: str) -> bool:
        return (
            iri in self.g.by_iri
            or iri in self.dims_by_iri
            or iri in self.items
            or iri in self.sections
            or iri in self.parts
            or any(r["iri"] == iri for r in self.reports)
            or any(e["iri"] == iri for e in self.entities)
        )

    async def _rdf(self, iri: str, fmt: str, headers: dict[str, str], client: str = "") -> Response:
        query = describe_query(iri)
        if iri + "#" == PREFIXES["nmt"]:  # the vocabulary's document is the ontology's graph
            query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{self.base}graph/ontology> {{ ?s ?p ?o }} }}"
        job = self._job(query, "json", fmt)
        job["prefixes"] = {p: PREFIXES[p] for p in ("skos", "nmt", "dcterms", "oa", "prov")}
        answer = await self.pool.run(job, self.config.query_timeout, client, lane="documents")  # errors: 503
        return Response(answer.body, answer.status, media_type=answer.media_type, headers=headers)

    async def _html(self, request: Request, iri: str) -> Response:
        # A term's page reads its mentions from disk, a report's marks its whole text: off the
        # event loop, in the text lane (a few at a time, each client's in turn).
        return await self.lanes.texts.run(client_of(request), self._html_page, request, iri)

    def _html_page(self, request: Request, iri: str) -> Response:
        if iri in self.g.by_iri:
            return self._term(request, iri)
        if iri in self.dims_by_iri:
            return self._dimension(request, iri)
        if iri in self.items or iri in self.sections or iri in self.parts:
            return self._structure(request, iri)
        lang = i18n.choose(request)[0]
        rep = next((r for r in self.reports if r["iri"] == iri), None)
        if rep is not None:
            return self.render(
                request,
                "text.html",
                title=rep["heading"][lang],
                crumbs=[],
                heading=rep["heading"],
                kind="kind.report",
                children=rep["parts"],
                dims=[],
                links=[],
                **self.segments(rep["text"], drop=debris(rep["text"], header_end(rep)), **self._read(rep)),
            )
        entity = next(e for e in self.entities if e["iri"] == iri)
        mentions = [i for i in self.items.values() if iri in self._mentioned(i)]
        return self.render(
            request,
            "text.html",
            title=entity["label"][lang] or entity["label"]["zh"],
            crumbs=[],
            dims=[],
            links=[],
            heading=entity["label"],
            kind="kind.entity",
            children=[{"iri": i["iri"], "title": i["title"]} for i in mentions],
            segments=[],
        )

    def _mentioned(self, item: dict[str, Any]) -> set[str]:
        text = item["report"]["text"][item["start"] : item["end"]]
        return {iri for lab, iri in self.entity_labels.items() if lab in text}

    def _where(self, lang: str, *titles: str | None) -> str:
        """A mention's part › section in the page language (English titles looked up by the Chinese one)."""
        shown = [(self.title_en.get(x) or x) if lang == "en" else x for x in titles if x]
        return " › ".join(shown)

    @cached_property
    def _reports_by_slug(self) -> dict[str, dict[str, Any]]:
        return {r["slug"]: r for r in self.reports}

    def _term(self, request: Request, iri: str) -> Response:
        lang = i18n.choose(request)[0]
        t = self.g.by_iri[iri]
        total = self.g.mention_count(t)
        pages = max(1, -(-total // MENTIONS_PER_PAGE))
        try:
            page = min(max(1, int(request.query_params.get("page", "1"))), pages)
        except ValueError:
            page = 1
        offset = (page - 1) * MENTIONS_PER_PAGE
        entry = self.g.entry(t, offset, 0)  # the mentions are read once, below, with what the page shows
        several = len(self.reports) > 1
        mentions = []
        for m in self.g.mentions(t, offset, MENTIONS_PER_PAGE):
            rep = self._reports_by_slug.get(m["report"])
            hit = rep["text"][m["start"] : m["end"]] if rep else ""
            quote = m["quote"]
            cut = m.get("at", -1) if hit and quote[m.get("at", 0) :].startswith(hit) else -1
            mentions.append(
                {
                    **m,
                    "where": self._where(lang, rep["title"] if rep and several else None, m["part"], m["section"]),
                    "initiative_label": self._where(lang, m["initiative"]),
                    "before": quote[:cut] if cut >= 0 else quote,
                    "hit": hit if cut >= 0 else "",
                    "after": quote[cut + len(hit) :] if cut >= 0 else "",
                }
            )
        dim_colour = {d: self.dims_by_iri[d]["display"] for d in t["dimensions"] if d in self.dims_by_iri}
        alternates = [{"type": DOC_TYPES[k], "href": self.local(iri) + s} for s, k in DOCS.items() if k != "html"]
        return self.render(
            request,
            "term.html",
            title=t["label"]["zh"]
            if lang == "zh" or not t["label"]["en"]
            else f"{t['label']['en']} ({t['label']['zh']})",
            e=entry,
            mentions=mentions,
            pager=_pager(request, page, pages, offset, len(mentions), total),
            slug=t["slug"],
            dim_colour=dim_colour,
            alternates=alternates,
        )

    def _dimension(self, request: Request, iri: str) -> Response:
        d = self.dims_by_iri[iri]
        items = []
        for item in self.items.values():
            if iri in item["dimensions"]:
                items.append({**item, "year": item["part"]["year"], "primary": item["dimensions"][0] == iri})
        items.sort(key=lambda i: (i["year"] or "", not i["primary"], i["start"]))
        terms = [t for t in self.g.terms if iri in t["dimensions"]]
        lang = i18n.choose(request)[0]
        return self.render(
            request, "dimension.html", title=d["label"][lang] or d["label"]["zh"], d=d, items=items, terms=terms
        )

    @staticmethod
    def _read(rep: dict[str, Any]) -> dict[str, Any]:
        """A whole report's footnote markers and heading lines, as :meth:`segments` takes them."""
        found = reading(rep["text"], rep["slug"])
        return {"notes": found.markers, "headings": found.headings}

    @staticmethod
    def _notes_in(rep: dict[str, Any], start: int, end: int) -> tuple[tuple[int, int, int, str], ...]:
        """The footnote markers of ``rep``'s text within [start, end), as offsets from ``start``."""
        found = reading(rep["text"], rep["slug"]).markers
        return tuple((s - start, e - start, n, term) for s, e, n, term in found if start <= s < end)

    def _structure(self, request: Request, iri: str) -> Response:
        lang = i18n.choose(request)[0]
        if iri in self.items:
            node = self.items[iri]
            rep, part, sec = node["report"], node["part"], node["section"]
            crumbs = [
                {"href": self.local(part["iri"]), "label": part["title"]},
                {"href": self.local(sec["iri"]), "label": sec["title"]},
            ]
            text, children = rep["text"][node["start"] : node["end"]], []
            notes = self._notes_in(rep, node["start"], node["end"])
            links = [
                {"label": "link.continues", "iri": c, "title": self.items[c]["title"]}
                for c in node["continues"]
                if c in self.items
            ]
            links += [
                {"label": "link.continued_by", "iri": c, "title": self.items[c]["title"]}
                for c in node["continued_by"]
                if c in self.items
            ]
            links += [
                {"label": f"link.{u['role']}_unit", "iri": u["iri"], "title": {"zh": u["label"], "en": None}}
                for u in node.get("units", [])
            ]
            dims = [self.dims_by_iri[d] for d in node["dimensions"] if d in self.dims_by_iri]
            kind = "kind.item"
        elif iri in self.sections:
            node = self.sections[iri]
            rep, part = node["report"], node["part"]
            crumbs = [{"href": self.local(part["iri"]), "label": part["title"]}]
            items = node["items"]
            end = items[-1]["end"] if items else node["end"]
            text, children, links, dims = rep["text"][node["start"] : end], items, [], []
            notes = self._notes_in(rep, node["start"], end)
            kind = "kind.section"
        else:
            node = self.parts[iri]
            rep = next(r for r in self.reports if r["iri"] == node["report"]["iri"])
            crumbs = [{"href": self.local(rep["iri"]), "label": rep["heading"]}]
            text, children, links, dims, notes = "", node["sections"], [], [], ()
            kind = "kind.part"
        marked = self.segments(text, drop=[], notes=notes) if text else {"segments": []}
        return self.render(
            request,
            "text.html",
            title=node["title"][lang] or node["title"]["zh"],
            crumbs=crumbs,
            heading=node["title"],
            kind=kind,
            children=children,
            links=links,
            dims=dims,
            **marked,
        )
