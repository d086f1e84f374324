"""What every page shares: the glossary index, the reports' structure read on first use,
templates in the request's language, and text marked with its glossary terms."""

from __future__ import annotations

from bisect import bisect_left
from functools import cached_property
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse

from kg.annotate import Annotator
from kg.glossary import BadQuery, Glossary, UnknownTerm
from kg.views.html import script_json as views_script_json
from kg.web import i18n
from kg.web.config import WebConfig
from kg.web.lanes import Lanes
from kg.web.reports import english_title, publisher_english, tidy
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
        # Titles as a copy wrote them (20 21 年工作要点) shown without the spaces it left in them.
        self.env.filters["tidy"] = lambda title: tidy(title or "", [])[0] if title else title
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

    def segments(
        self,
        text: str,
        limit: int | None = None,
        drop: list[tuple[int, int]] | None = None,
        notes: tuple[tuple[int, int, int, str], ...] = (),
        headings: tuple[tuple[int, int, int], ...] = (),
    ) -> dict[str, Any]:
        """Text split into plain and term segments (escaped by the template), at most ``limit`` terms marked,
        and ``term_json``: what the pop-up shows of each marked term, once per term (safe inside <script>).

        With ``drop`` (spans of ``text``) the text is tidied for reading (:func:`tidy`): those spans
        and the spaces a copy left between characters out. ``notes``: footnote markers (start, end,
        number, term) shown as a raised number linked to the term, not as a digit in the text.
        ``headings`` (start, end, level) mark the segments of a heading line with its level."""
        bounds: list[tuple[int, int, int]] = list(headings)
        if drop is not None or notes:
            text, origin = tidy(text, [*(drop or []), *((s, e) for s, e, _n, _t in notes)])
            at = [(bisect_left(origin, s), n, term) for s, _e, n, term in notes]
            bounds = [(bisect_left(origin, s), bisect_left(origin, e), lv) for s, e, lv in headings]
        else:
            at = []
        out: list[dict[str, Any]] = []
        terms: dict[str, dict[str, Any]] = {}
        pos = 0
        at.sort()
        waiting = iter(at)
        marker = next(waiting, None)

        def plain(upto: int) -> None:
            """The text from ``pos`` to ``upto``, with the markers that stand in it (or at its end)."""
            nonlocal pos, marker
            while marker is not None and marker[0] <= upto:
                where = max(marker[0], pos)
                out.append({"text": text[pos:where]})
                out.append({"marker": marker[1], "href": self._term_href(marker[2]), "term": marker[2]})
                pos, marker = where, next(waiting, None)
            out.append({"text": text[pos:upto]})
            pos = upto

        for s in self.annotator.spans(text)[:limit]:
            if s.start > pos:
                plain(s.start)
            t = self.g.by_iri[s.iri]
            tip = " — ".join(x for x in (t["label"]["en"], t["pinyin"]) if x)  # no bare dash without English
            out.append({"text": s.text, "iri": s.iri, "tip": tip})
            terms[s.iri] = {
                "zh": t["label"]["zh"],
                "en": t["label"]["en"],
                "pinyin": t["pinyin"],
                "definition": t["definition"],
                "href": self.local(s.iri),
            }
            pos = s.end
        plain(len(text))
        kept = [seg for seg in out if seg.get("text") != ""]
        segments = _glued_quotes(_in_headings(kept, bounds) if bounds else kept)
        return {"segments": segments, "term_json": script_json(terms)}

    def _term_href(self, term: str) -> str | None:
        """The page of the glossary term a footnote's note defines."""
        try:
            return self.local(self.g.find(term)["iri"])
        except (UnknownTerm, BadQuery):  # a note's term not in the glossary: the marker links nowhere
            return None


def _in_headings(segments: list[dict[str, Any]], bounds: list[tuple[int, int, int]]) -> list[dict[str, Any]]:
    """``segments`` with ``level`` set on those of a heading line (plain text cut at its ends), so
    the template sets a part's or section's title apart from the text."""

    def level(at: int) -> int:
        return next((lv for s, e, lv in bounds if s <= at < e), 0)

    out: list[dict[str, Any]] = []
    pos = 0
    for seg in segments:
        size = 0 if "marker" in seg else len(seg["text"])
        if "iri" in seg or not size:
            out.append({**seg, "level": level(pos)})
            pos += size
            continue
        cuts = sorted({b for s, e, _lv in bounds for b in (s, e) if pos < b < pos + size})
        start = pos
        for cut in [*cuts, pos + size]:
            out.append({"text": seg["text"][start - pos : cut - pos], "level": level(start)})
            start = cut
        pos += size
    return out


OPENING = "“‘「『《（(〈【"
CLOSING = "”’」』》）)〉】,.;:!?，。、；：！？"


def _glued_quotes(segments: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each marked term with the quote that opens it and the mark that closes it (``pre``, ``post``):
    the page keeps them on one line with it (a line never opens with ” or ends with “)."""
    out = [dict(seg) for seg in segments]
    for k, seg in enumerate(out):
        if "iri" not in seg:
            continue
        before = out[k - 1] if k else None
        after = out[k + 1] if k + 1 < len(out) else None
        if before is not None and "iri" not in before and before.get("text") and before["text"][-1] in OPENING:
            seg["pre"], before["text"] = before["text"][-1], before["text"][:-1]
        if after is not None and "iri" not in after and after.get("text") and after["text"][0] in CLOSING:
            seg["post"], after["text"] = after["text"][0], after["text"][1:]
    return [seg for seg in out if "marker" in seg or seg.get("text") != "" or "iri" in seg]


def script_json(data: Any) -> Markup:
    """JSON safe inside <script> (:func:`kg.views.html.script_json`), for a template."""
    return Markup(views_script_json(data))


def _esc(text: str) -> str:
    import html

    return html.escape(text)
