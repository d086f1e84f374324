"""HTML pages: home, glossary, search, annotate, query, downloads; the documents of resources
are in ``documents.py``, what every page shares in ``site.py``."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from kg.annotate import BadInput
from kg.glossary import BadQuery
from kg.queries import library
from kg.web import i18n
from kg.web.documents import Documents, document_for
from kg.web.lanes import client_of
from kg.web.site import script_json
from kg.web.sparql import media_and_charset


class Pages(Documents):
    """The site: each public method is a route handler."""

    async def home(self, request: Request) -> Response:
        return self.render(
            request,
            "home.html",
            title="nav.home",
            dimensions=self.g.data["dimensions"],
            report=self.reports[0] if self.reports else {"parts": []},
            reports=self.reports,
            term_count=len(self.g.terms),
        )

    async def glossary(self, request: Request) -> Response:
        # The address is also the IRI of the glossary (a skos:ConceptScheme): RDF for those who ask.
        target = document_for(request.headers.get("accept", ""))
        if target not in (None, ".html"):
            return RedirectResponse(f"/glossary{target}", 303, headers={"Vary": "Accept"})
        groups: dict[str, list[dict[str, Any]]] = {}
        for t in self.g.terms:
            first = unicodedata.normalize("NFD", t["pinyin"] or "#")[0].upper()
            groups.setdefault(first if first.isalpha() else "#", []).append(t)
        ordered = sorted(groups.items(), key=lambda kv: (kv[0] == "#", kv[0]))
        return self.render(request, "glossary.html", title="nav.glossary", groups=ordered)

    async def search(self, request: Request) -> Response:
        q = request.query_params.get("q", "")
        hits: list[dict[str, Any]] = []
        if q.strip():
            try:  # a long query takes tens of milliseconds: off the event loop
                found = await self.lanes.texts.run(client_of(request), self.g.search, q, 20)
                hits = [h.to_json() for h in found]
            except BadQuery:
                hits = []
        t = i18n.text_for(request)
        matched = json.dumps({"on": t.group("match."), "label": t("search.matched")}, ensure_ascii=False)
        return self.render(request, "search.html", title="nav.search", q=q, hits=hits, matched_json=matched)

    async def annotate(self, request: Request) -> Response:
        text, error = "", None
        if request.method == "POST":
            try:
                text = await self._form_text(request)
                if "\x00" in text:
                    raise BadInput("binary input")
            except (BadInput, UnicodeDecodeError):
                text, error = "", i18n.text_for(request)("annotate.binary")
            # The text's own size is limited, as /api/annotate limits it, not its URL-encoded form's.
            if len(text.encode("utf-8", "surrogatepass")) > self.config.max_annotate_bytes:
                return self.render(
                    request,
                    "annotate.html",
                    413,
                    title="nav.annotate",
                    text="",
                    error=i18n.text_for(request)("annotate.toolong", n=f"{self.config.max_annotate_bytes:,}"),
                )
        if not text or error:
            return self.render(
                request, "annotate.html", title="nav.annotate", text=text, error=error, segments=[], count=0
            )
        # Matching and rendering a megabyte take seconds: off the event loop, a few at a time.
        lang, asked = i18n.choose(request)
        html = await self.lanes.annotate.run(client_of(request), self._annotated_page, request, lang, text)
        response = HTMLResponse(html)
        if asked:
            i18n.remember(response, lang)
        return response

    async def _form_text(self, request: Request) -> str:
        """The form's ``text``: a URL-encoded form (a megabyte decodes in half a second) is decoded
        in the annotation lane, not on the event loop; a multipart upload is read as it streams.
        Raises UnicodeDecodeError for text that is not UTF-8."""
        media, _charset = media_and_charset(request)
        if media == "application/x-www-form-urlencoded":
            body = await request.body()

            def decode() -> str:
                fields = parse_qs(body.decode("latin-1"), keep_blank_values=True, encoding="utf-8", errors="strict")
                return fields.get("text", [""])[0]

            return await self.lanes.annotate.run(client_of(request), decode)
        form = await request.form(max_part_size=self.config.body_limit("/annotate"))
        raw = form.get("text", "")
        return raw if isinstance(raw, str) else (await raw.read()).decode("utf-8")

    def _annotated_page(self, request: Request, lang: str, text: str) -> str:
        spans = self.annotator.spans(text)
        marked = self.segments(text, limit=self.config.max_spans)
        return self.page(
            request, lang, "annotate.html", title="nav.annotate", text=text, error=None, count=len(spans), **marked
        )

    async def query_page(self, request: Request) -> Response:
        queries = [{"name": q.name, "titles": {"zh": q.title_zh, "en": q.title}} for q in library().values()]
        curated = {q.name: q.bind({}) for q in library().values()}
        strings = {"error" + k: v for k, v in i18n.text_for(request).group("query.error").items()}
        return self.render(
            request,
            "query.html",
            title="nav.query",
            queries=queries,
            curated_json=script_json(curated),
            strings_json=script_json(strings),
        )

    async def downloads(self, request: Request) -> Response:
        from kg.serialise import ARTIFACTS

        files = []
        for name, about in ARTIFACTS.items():
            path = self.config.dist / name
            if path.is_file():
                files.append({"name": name, "about": about, "size": f"{path.stat().st_size / 1024:.0f} KB"})
        return self.render(request, "downloads.html", title="nav.downloads", files=files, no_files=not files)

    async def dataset_file(self, request: Request) -> Response:
        from starlette.responses import FileResponse

        from kg.serialise import ARTIFACTS

        name = request.path_params["name"]
        if name not in ARTIFACTS or not (self.config.dist / name).is_file():  # a corpus may be built without them
            return self.not_found(request, name)
        types = {
            ".trig": "application/trig",
            ".nq": "application/n-quads",
            ".jsonld": "application/ld+json",
            ".ttl": "text/turtle",
            ".nt": "application/n-triples",
        }
        return FileResponse(self.config.dist / name, media_type=types[Path(name).suffix], filename=name)


__all__ = ["Pages"]
