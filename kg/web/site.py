"""What every page shares: the glossary index, the reports' structure read on first use,
templates in the request's language, and text marked with its glossary terms."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse

from kg.annotate import Annotator
from kg.glossary import Glossary
from kg.views.html import script_json as views_script_json
from kg.web import i18n
from kg.web.config import WebConfig
from kg.web.lanes import Lanes
from kg.web.reports import english_title, publisher_english
from kg.web.scheduler import WorkerPool
from kg.web.strings import UI

TEMPLATES = Path(__file__).parent / "templates"


def _blank_none(value: Any) -> Any:
    return "" if value is None else value


class Site:
    """The state and helpers of the site's pages (:class:`kg.web.pages.Pages`)."""

    def __init__(self, glossary: Glossary, config: WebConfig, pool: WorkerPool, lanes: Lanes | None = None) -> None:
        self.g = glossary
        self.config = config
        self.pool = pool
        self.lanes = lanes or Lanes(config.annotate_slots)
        self.annotator = Annotator(glossary)
        self.base = glossary.data["base"]
        self.dims_by_iri = {d["iri"]: d for d in glossary.data["dimensions"]}
        self.env = Environment(
            loader=FileSystemLoader(TEMPLATES),
            autoescape=select_autoescape(["html"]),
            finalize=_blank_none,  # a missing English label shows as nothing, not "None"
        )
        self.env.globals["local"] = self.local
        self._subjects: dict[str, bool] = {}  # IRIs looked up in the store: a subject there or not

    def warm(self) -> None:
        """Read what every page needs (the reports and their structure) ahead of the first request."""
        self._tree  # noqa: B018 — computed for its side effect, the cache
        self.title_en  # noqa: B018
        self.entity_labels  # noqa: B018

    # The reports' structure, entities and texts come from the second index file, read on first
    # use (or by ``warm`` in the background): a corpus's is hundreds of MB, and /healthz must answer at once.
    @cached_property
    def entities(self) -> list[dict[str, Any]]:
        return self.g.section("entities")

    @cached_property
    def reports(self) -> list[dict[str, Any]]:
        # Copies: the views read the same index and must not see the pages' additions.
        return [
            {
                **r,
                "heading": {"zh": r["title"], "en": english_title(r, self.entities)},
                "publisher_label": {"zh": r["publisher"], "en": publisher_english(r, self.entities)},
            }
            for r in self.g.section("reports")
        ]

    @cached_property
    def entity_labels(self) -> dict[str, str]:
        return {lab: e["iri"] for e in self.entities for lab in [e["label"]["zh"], *e["alt_labels"]] if lab}

    @cached_property
    def _tree(self) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
        items: dict[str, dict[str, Any]] = {}
        sections: dict[str, dict[str, Any]] = {}
        parts: dict[str, dict[str, Any]] = {}
        for rep in self.reports:
            for part in rep["parts"]:
                parts[part["iri"]] = {**part, "report": rep}
                for sec in part["sections"]:
                    sections[sec["iri"]] = {**sec, "part": part, "report": rep}
                    for item in sec["items"]:
                        items[item["iri"]] = {**item, "section": sec, "part": part, "report": rep}
        return items, sections, parts

    @property
    def items(self) -> dict[str, dict[str, Any]]:
        return self._tree[0]

    @property
    def sections(self) -> dict[str, dict[str, Any]]:
        return self._tree[1]

    @property
    def parts(self) -> dict[str, dict[str, Any]]:
        return self._tree[2]

    @cached_property
    def title_en(self) -> dict[str, str]:
        """English titles of the structure, by their Chinese title (mentions carry the Chinese one only)."""
        return {
            n["title"]["zh"]: n["title"]["en"]
            for n in [*self.parts.values(), *self.sections.values(), *self.items.values()]
            if n["title"]["en"]
        }

    @cached_property
    def report_slug(self) -> str:
        """The report the navigation links to."""
        return str(self.reports[0]["slug"]) if self.reports else ""

    # -- helpers -----------------------------------------------------------
    def local(self, iri: str) -> str:
        """The path of an IRI on this server (IRIs are minted under the configured base)."""
        return "/" + iri[len(self.base) :] if iri.startswith(self.base) else iri

    def render(self, request: Request, name: str, status: int = 200, **ctx: Any) -> HTMLResponse:
        """A template in the language of the request (``?lang=`` also sets the cookie)."""
        lang, asked = i18n.choose(request)
        response = HTMLResponse(self.page(request, lang, name, **ctx), status)
        # The same address answers in the cookie's language: a shared cache must keep them apart.
        response.headers["Vary"] = "Cookie"
        response.headers["Cache-Control"] = "private, max-age=0"
        if asked:
            i18n.remember(response, lang)
        return response

    def page(self, request: Request, lang: str, name: str, **ctx: Any) -> str:
        """The rendered HTML of a template in ``lang``, with the language switch links."""
        ctx.setdefault("t", i18n.Text(lang))
        ctx.setdefault("report_slug", self.report_slug)
        ctx["switch_en"] = i18n.switch_href(request, "en")
        ctx["switch_zh"] = i18n.switch_href(request, "zh")
        if isinstance(ctx.get("title"), str) and ctx["title"] in UI:
            ctx["title"] = ctx["t"](ctx["title"])
        return self.env.get_template(name).render(**ctx)

    def not_found(self, request: Request, what: str) -> HTMLResponse:
        lang, _asked = i18n.choose(request)
        t = i18n.Text(lang)
        return HTMLResponse(
            f"<!doctype html><html lang={lang}><meta charset=utf-8><title>404</title><p>{t('notfound')}: "
            f"{_esc(what)}</p><p><a href='/'>{t('nav.home')}</a></p></html>",
            404,
        )

    def segments(self, text: str, limit: int | None = None) -> dict[str, Any]:
        """Text split into plain and term segments (escaped by the template), at most ``limit`` terms marked,
        and ``term_json``: what the pop-up shows of each marked term, once per term (safe inside <script>)."""
        out = []
        terms: dict[str, dict[str, Any]] = {}
        pos = 0
        for s in self.annotator.spans(text)[:limit]:
            if s.start > pos:
                out.append({"text": text[pos : s.start]})
            t = self.g.by_iri[s.iri]
            out.append({"text": s.text, "iri": s.iri, "tip": f"{t['label']['en'] or ''} — {t['pinyin'] or ''}"})
            terms[s.iri] = {
                "zh": t["label"]["zh"],
                "en": t["label"]["en"],
                "pinyin": t["pinyin"],
                "definition": t["definition"],
                "href": self.local(s.iri),
            }
            pos = s.end
        out.append({"text": text[pos:]})
        return {"segments": out, "term_json": script_json(terms)}


def script_json(data: Any) -> Markup:
    """JSON safe inside <script> (:func:`kg.views.html.script_json`), for a template."""
    return Markup(views_script_json(data))


def _esc(text: str) -> str:
    import html

    return html.escape(text)
