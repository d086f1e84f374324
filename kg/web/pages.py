"""HTML pages and linked-data documents, from the glossary index (and the store for RDF)."""

from __future__ import annotations

import asyncio
import json
import unicodedata
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from kg.annotate import Annotator, BadInput
from kg.glossary import BadQuery, Glossary
from kg.queries import library
from kg.web.config import WebConfig
from kg.web.scheduler import WorkerPool

TEMPLATES = Path(__file__).parent / "templates"
DOCS = {".ttl": "turtle", ".nt": "ntriples", ".jsonld": "jsonld", ".html": "html"}
DOC_TYPES = {
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "html": "text/html",
}
MACHINE_TYPES = {
    "text/turtle": ".ttl",
    "application/n-triples": ".nt",
    "application/ld+json": ".jsonld",
    "application/rdf+xml": ".ttl",
    "text/plain": ".nt",
}


class Pages:
    """The site: each public method is a route handler."""

    def __init__(self, glossary: Glossary, config: WebConfig, pool: WorkerPool) -> None:
        self.g = glossary
        self.config = config
        self.pool = pool
        self.annotator = Annotator(glossary)
        self.base = glossary.data["base"]
        self.reports = glossary.section("reports")
        self.entities = glossary.section("entities")
        self.entity_labels = {
            lab: e["iri"] for e in self.entities for lab in [e["label"]["zh"], *e["alt_labels"]] if lab
        }
        self.dims_by_iri = {d["iri"]: d for d in glossary.data["dimensions"]}
        self.items: dict[str, dict[str, Any]] = {}
        self.sections: dict[str, dict[str, Any]] = {}
        self.parts: dict[str, dict[str, Any]] = {}
        for rep in self.reports:
            for part in rep["parts"]:
                self.parts[part["iri"]] = {**part, "report": rep}
                for sec in part["sections"]:
                    self.sections[sec["iri"]] = {**sec, "part": part, "report": rep}
                    for item in sec["items"]:
                        self.items[item["iri"]] = {**item, "section": sec, "part": part, "report": rep}
        self.env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
        self.env.globals["local"] = self.local
        self.env.globals["report_slug"] = self.reports[0]["slug"] if self.reports else ""
        self.annotate_slots = asyncio.Semaphore(config.annotate_slots)

    # -- helpers -----------------------------------------------------------
    def local(self, iri: str) -> str:
        """The path of an IRI on this server (IRIs are minted under the configured base)."""
        return "/" + iri[len(self.base) :] if iri.startswith(self.base) else iri

    def render(self, name: str, status: int = 200, **ctx: Any) -> HTMLResponse:
        return HTMLResponse(self.env.get_template(name).render(**ctx), status)

    def not_found(self, what: str) -> HTMLResponse:
        return HTMLResponse(
            f"<!doctype html><meta charset=utf-8><title>404</title><p>未找到 Not found: "
            f"{_esc(what)}</p><p><a href='/'>首页 Home</a></p>",
            404,
        )

    def segments(self, text: str, offset: int = 0, limit: int | None = None) -> list[dict[str, Any]]:
        """Text split into plain and term segments (escaped by the template); at most ``limit`` terms linked."""
        out = []
        pos = 0
        for s in self.annotator.spans(text)[:limit]:
            if s.start > pos:
                out.append({"text": text[pos : s.start]})
            t = self.g.by_iri[s.iri]
            out.append({"text": s.text, "iri": s.iri, "tip": f"{t['label']['en'] or ''} — {t['pinyin'] or ''}"})
            pos = s.end
        out.append({"text": text[pos:]})
        return out

    # -- pages -------------------------------------------------------------
    async def home(self, request: Request) -> Response:
        return self.render(
            "home.html",
            title="首页 Home",
            dimensions=self.g.data["dimensions"],
            report=self.reports[0] if self.reports else {"parts": []},
            term_count=len(self.g.terms),
        )

    async def glossary(self, request: Request) -> Response:
        groups: dict[str, list[dict[str, Any]]] = {}
        for t in self.g.terms:
            first = unicodedata.normalize("NFD", t["pinyin"] or "#")[0].upper()
            groups.setdefault(first if first.isalpha() else "#", []).append(t)
        ordered = sorted(groups.items(), key=lambda kv: (kv[0] == "#", kv[0]))
        return self.render("glossary.html", title="术语表 Glossary", groups=ordered)

    async def search(self, request: Request) -> Response:
        q = request.query_params.get("q", "")
        hits: list[dict[str, Any]] = []
        if q.strip():
            try:
                hits = [h.to_json() for h in self.g.search(q, 20)]
            except BadQuery:
                hits = []
        return self.render("search.html", title="搜索 Search", q=q, hits=hits)

    async def annotate(self, request: Request) -> Response:
        text, error = "", None
        if request.method == "POST":
            body = await request.body()
            if len(body) > self.config.max_annotate_bytes:
                return self.render(
                    "annotate.html",
                    413,
                    title="标注 Annotate",
                    text="",
                    error=f"文本太长 Text too long (at most {self.config.max_annotate_bytes:,} bytes)",
                )
            form = await request.form()
            raw = form.get("text", "")
            try:
                text = raw if isinstance(raw, str) else (await raw.read()).decode("utf-8")
                if "\x00" in text:
                    raise BadInput("binary input")
            except (BadInput, UnicodeDecodeError):
                error = "无法读取：不是文本 Not text (binary input)"
        if not text or error:
            return self.render("annotate.html", title="标注 Annotate", text=text, error=error, segments=[], count=0)
        # Matching and rendering a megabyte take seconds: off the event loop, a few at a time.
        async with self.annotate_slots:
            html = await run_in_threadpool(self._annotated_page, text)
        return HTMLResponse(html)

    def _annotated_page(self, text: str) -> str:
        spans = self.annotator.spans(text)
        segments = self.segments(text, limit=self.config.max_spans)
        return self.env.get_template("annotate.html").render(
            title="标注 Annotate", text=text, error=None, segments=segments, count=len(spans)
        )

    async def query_page(self, request: Request) -> Response:
        queries = list(library().values())
        curated = {q.name: q.bind({}) for q in queries}
        # Inside <script>: no raw <, > or & may close the element or open a comment.
        data = json.dumps(curated, ensure_ascii=False)
        data = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        return self.render("query.html", title="SPARQL", queries=queries, curated_json=Markup(data))

    async def downloads(self, request: Request) -> Response:
        from kg.serialise import ARTIFACTS

        files = []
        for name, about in ARTIFACTS.items():
            path = self.config.dist / name
            if path.is_file():
                files.append({"name": name, "about": about, "size": f"{path.stat().st_size / 1024:.0f} KB"})
        return self.render("downloads.html", title="下载 Downloads", files=files)

    async def dataset_file(self, request: Request) -> Response:
        from starlette.responses import FileResponse

        from kg.serialise import ARTIFACTS

        name = request.path_params["name"]
        if name not in ARTIFACTS:
            return self.not_found(name)
        types = {
            ".trig": "application/trig",
            ".nq": "application/n-quads",
            ".jsonld": "application/ld+json",
            ".ttl": "text/turtle",
            ".nt": "application/n-triples",
        }
        return FileResponse(self.config.dist / name, media_type=types[Path(name).suffix], filename=name)

    # -- linked data -------------------------------------------------------
    async def resource(self, request: Request) -> Response:
        """Any entity IRI: 303 to a document, or the document itself (HTML, Turtle, N-Triples, JSON-LD)."""
        path = request.url.path.lstrip("/")
        suffix = next((s for s in DOCS if path.endswith(s)), None)
        iri = self.base + (path[: -len(suffix)] if suffix else path)
        if not self._known(iri):
            return self.not_found(iri)
        local = self.local(iri)
        if suffix is None:
            accept = request.headers.get("accept", "")
            target = ".html"
            for media in [m.split(";")[0].strip() for m in accept.split(",")]:
                if media in ("text/html", "application/xhtml+xml"):
                    break
                if media in MACHINE_TYPES:
                    target = MACHINE_TYPES[media]
                    break
            return RedirectResponse(local + target, 303, headers={"Vary": "Accept"})
        links = ", ".join(f'<{local}{s}>; rel="alternate"; type="{DOC_TYPES[k]}"' for s, k in DOCS.items())
        headers = {"Link": links}
        if DOCS[suffix] != "html":
            return await self._rdf(iri, DOCS[suffix], headers)
        response = await self._html(iri)
        response.headers.update(headers)
        return response

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

    async def _rdf(self, iri: str, fmt: str, headers: dict[str, str]) -> Response:
        query = (
            f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o FILTER (?s = <{iri}> || STRSTARTS(STR(?s), "
            f'"{iri}#") || STRSTARTS(STR(?s), "{iri}/component-")) }}'
        )
        job = {
            "query": query,
            "default_graphs": [],
            "named_graphs": [],
            "select_format": "json",
            "graph_format": fmt,
            "max_rows": self.config.max_rows,
            "max_bytes": self.config.max_result_bytes,
            "prefixes": {
                "skos": "http://www.w3.org/2004/02/skos/core#",
                "nmt": "https://w3id.org/nanmatou/ns#",
                "dcterms": "http://purl.org/dc/terms/",
                "oa": "http://www.w3.org/ns/oa#",
                "prov": "http://www.w3.org/ns/prov#",
            },
        }
        answer = await self.pool.run(job, self.config.query_timeout, lane="documents")  # errors: 503 (app)
        return Response(answer.body, answer.status, media_type=answer.media_type, headers=headers)

    async def _html(self, iri: str) -> Response:
        if iri in self.g.by_iri:
            return self._term(iri)
        if iri in self.dims_by_iri:
            return self._dimension(iri)
        if iri in self.items or iri in self.sections or iri in self.parts:
            return self._structure(iri)
        rep = next((r for r in self.reports if r["iri"] == iri), None)
        if rep is not None:
            return self.render(
                "text.html",
                title=rep["title"],
                crumbs=[],
                heading={"zh": rep["title"], "en": ""},
                children=rep["parts"],
                segments=self.segments(rep["text"]),
                dims=[],
                links=[],
            )
        entity = next(e for e in self.entities if e["iri"] == iri)
        mentions = [i for i in self.items.values() if iri in self._mentioned(i)]
        return self.render(
            "text.html",
            title=entity["label"]["zh"],
            crumbs=[],
            dims=[],
            links=[],
            heading=entity["label"],
            children=[{"iri": i["iri"], "title": i["title"]} for i in mentions],
            segments=[],
        )

    def _mentioned(self, item: dict[str, Any]) -> set[str]:
        text = item["report"]["text"][item["start"] : item["end"]]
        return {iri for lab, iri in self.entity_labels.items() if lab in text}

    def _term(self, iri: str) -> Response:
        t = self.g.by_iri[iri]
        entry = self.g.entry(t)
        mentions = []
        for m in self.g.mentions(t):
            rep = next((r for r in self.reports if r["slug"] == m["report"]), None)
            hit = rep["text"][m["start"] : m["end"]] if rep else ""
            quote = m["quote"]
            cut = m.get("at", -1) if hit and quote[m.get("at", 0) :].startswith(hit) else -1
            mentions.append(
                {
                    **m,
                    "before": quote[:cut] if cut >= 0 else quote,
                    "hit": hit if cut >= 0 else "",
                    "after": quote[cut + len(hit) :] if cut >= 0 else "",
                }
            )
        dim_colour = {d: self.dims_by_iri[d]["display"] for d in t["dimensions"] if d in self.dims_by_iri}
        alternates = [{"type": DOC_TYPES[k], "href": self.local(iri) + s} for s, k in DOCS.items() if k != "html"]
        return self.render(
            "term.html",
            title=t["label"]["zh"],
            e=entry,
            mentions=mentions,
            slug=t["slug"],
            dim_colour=dim_colour,
            alternates=alternates,
        )

    def _dimension(self, iri: str) -> Response:
        d = self.dims_by_iri[iri]
        items = []
        for item in self.items.values():
            if iri in item["dimensions"]:
                items.append({**item, "year": item["part"]["year"], "primary": item["dimensions"][0] == iri})
        items.sort(key=lambda i: (i["year"] or "", not i["primary"], i["start"]))
        terms = [t for t in self.g.terms if iri in t["dimensions"]]
        return self.render("dimension.html", title=d["label"]["zh"], d=d, items=items, terms=terms)

    def _structure(self, iri: str) -> Response:
        if iri in self.items:
            node = self.items[iri]
            rep, part, sec = node["report"], node["part"], node["section"]
            crumbs = [
                {"href": self.local(part["iri"]), "label": part["title"]["zh"]},
                {"href": self.local(sec["iri"]), "label": sec["title"]["zh"]},
            ]
            text, children = rep["text"][node["start"] : node["end"]], []
            links = [
                {"label": "延续 continues", "iri": c, "title": self.items[c]["title"]["zh"]}
                for c in node["continues"]
                if c in self.items
            ]
            links += [
                {"label": "后续 continued by", "iri": c, "title": self.items[c]["title"]["zh"]}
                for c in node["continued_by"]
                if c in self.items
            ]
            dims = [self.dims_by_iri[d] for d in node["dimensions"] if d in self.dims_by_iri]
        elif iri in self.sections:
            node = self.sections[iri]
            rep, part = node["report"], node["part"]
            crumbs = [{"href": self.local(part["iri"]), "label": part["title"]["zh"]}]
            items = node["items"]
            end = items[-1]["end"] if items else node["end"]
            text, children, links, dims = rep["text"][node["start"] : end], items, [], []
        else:
            node = self.parts[iri]
            rep = node["report"]
            crumbs = [{"href": self.local(rep["iri"]), "label": rep["title"]}]
            text, children, links, dims = "", node["sections"], [], []
        return self.render(
            "text.html",
            title=node["title"]["zh"],
            crumbs=crumbs,
            heading=node["title"],
            children=children,
            segments=self.segments(text) if text else [],
            links=links,
            dims=dims,
        )


def _esc(text: str) -> str:
    import html

    return html.escape(text)


__all__ = ["Pages"]
