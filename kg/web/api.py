"""The JSON API: the same shapes as the CLI's ``--json``, described by OpenAPI."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from kg.annotate import Annotator, BadInput
from kg.glossary import BadQuery, Glossary, UnknownTerm
from kg.metrics import select
from kg.web.config import WebConfig
from kg.web.lanes import Lanes, client_of
from kg.web.protect import load_json
from kg.web.sparql import media_and_charset

PAGE = 100  # a term's mentions, or quantities, per API response unless ?limit= says otherwise
PAGE_MAX = 1000
TERM_ENTRIES = 512  # /api/terms answers kept (a page is at most PAGE_MAX mentions)


def _next(request: Request, offset: int, limit: int, total: int) -> dict[str, str]:
    """A ``Link: <…>; rel="next"`` header while there is more after this page."""
    if offset + limit >= total or limit == 0:
        return {}
    page = request.url.include_query_params(offset=offset + limit, limit=limit)
    return {"Link": f'<{quote(page.path)}?{page.query}>; rel="next"'}  # a header is Latin-1: 居民区 is quoted


def bounded(request: Request, name: str, default: int, low: int, high: int | None) -> int:
    """An integer query parameter within [low, high]; ValueError says which and why."""
    raw = request.query_params.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{name} must be an integer") from None
    if value < low or (high is not None and value > high):
        raise ValueError(f"{name} must be between {low} and {high}" if high is not None else f"{name} must be ≥ {low}")
    return value


def _error(status: int, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": message, **extra}, status)


class Api:
    def __init__(self, glossary: Glossary, config: WebConfig, annotator: Annotator, lanes: Lanes | None = None) -> None:
        self.g = glossary
        self.config = config
        self.annotator = annotator
        self.lanes = lanes or Lanes(config.annotate_slots)
        # The last answers of /api/terms, as sent (a build's files never change under a server):
        # a page of mentions is read from disk, and a few terms get most look-ups.
        self._terms: OrderedDict[tuple[str, int, int], tuple[bytes, int]] = OrderedDict()

    async def term(self, request: Request) -> Response:
        """GET /api/terms/{id}?offset=&limit=: id is a slug (san-hui-yi-dai-li), a label, pinyin or English.

        A term's mentions come a page at a time (``limit``, default 100): a corpus
        term can have tens of thousands. A ``Link: <…>; rel="next"`` header names the next page.
        """
        ident = request.path_params["id"]
        try:
            offset = bounded(request, "offset", 0, 0, None)
            limit = bounded(request, "limit", PAGE, 0, PAGE_MAX)
        except ValueError as exc:
            return _error(400, str(exc))
        key = (ident, offset, limit)
        found = self._terms.get(key)
        if found is None:
            by_slug = next((t for t in self.g.terms if t["slug"] == ident), None)
            try:
                # Reads a page of the mentions file: off the event loop.
                client = client_of(request)
                if by_slug:
                    entry = await self.lanes.texts.run(client, self.g.entry, by_slug, offset, limit)
                else:
                    entry = await self.lanes.texts.run(client, self.g.define, ident, offset, limit)
            except UnknownTerm as exc:
                return _error(404, str(exc), suggestions=exc.suggestions)
            except BadQuery as exc:
                return _error(400, str(exc))
            found = bytes(JSONResponse(entry).body), int(entry["mentions_total"])
            self._terms[key] = found
            if len(self._terms) > TERM_ENTRIES:
                self._terms.popitem(last=False)
        else:
            self._terms.move_to_end(key)
        body, total = found
        return Response(body, media_type="application/json", headers=_next(request, offset, limit, total))

    async def search(self, request: Request) -> JSONResponse:
        q = request.query_params.get("q", "")
        try:
            limit = bounded(request, "limit", 10, 1, 100)
        except ValueError as exc:
            return _error(400, str(exc))
        try:  # a long query takes tens of milliseconds: off the event loop
            hits = await self.lanes.texts.run(client_of(request), self.g.search, q, limit)
        except BadQuery as exc:
            return _error(400, str(exc))
        return JSONResponse({"query": q, "results": [h.to_json() for h in hits]})

    async def annotate(self, request: Request) -> JSONResponse:
        body = await request.body()
        if len(body) > self.config.max_annotate_bytes:
            return _error(413, f"text too long: at most {self.config.max_annotate_bytes} bytes")
        ctype, charset = media_and_charset(request)
        try:
            if ctype == "application/json":
                data = load_json(body, self.config.max_json_depth)
                text = data.get("text") if isinstance(data, dict) else None
                if not isinstance(text, str):
                    return _error(400, 'send {"text": "…"}')
                if "\x00" in text:
                    raise BadInput("binary input")
            else:
                from kg.annotate import decode_input

                text = decode_input(body, "body", charset)
        except (BadInput, ValueError) as exc:
            return _error(400, str(exc))
        # Matching a megabyte takes seconds: off the event loop, a few at a time.
        spans = await self.lanes.annotate.run(client_of(request), self.annotator.spans, text)
        limit = self.config.max_spans
        answer: dict[str, Any] = {"spans": [s.to_json() for s in spans[:limit]]}
        if len(spans) > limit:
            answer |= {"truncated": True, "total": len(spans)}
        return JSONResponse(answer)

    async def metrics(self, request: Request) -> JSONResponse:
        """GET /api/metrics?q=&offset=&limit=: matching quantities a page at a time (``limit``, default 100)."""
        try:
            offset = bounded(request, "offset", 0, 0, None)
            limit = bounded(request, "limit", PAGE, 0, PAGE_MAX)
        except ValueError as exc:
            return _error(400, str(exc))
        words = request.query_params.get("q", "")
        # Off the event loop: the first filter over a corpus's quantities reads them all.
        results, total = await self.lanes.texts.run(client_of(request), select, self.g, words, offset, limit)
        body = {"results": results, "total": total, "offset": offset}
        return JSONResponse(body, headers=_next(request, offset, limit, total))

    async def openapi(self, request: Request) -> JSONResponse:
        return JSONResponse(OPENAPI)


def _obj(props: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "properties": props}


TEXT = _obj({"zh": {"type": "string", "nullable": True}, "en": {"type": "string", "nullable": True}})
TERM = _obj(
    {
        "iri": {"type": "string"},
        "label": TEXT,
        "pinyin": {"type": "string"},
        "alt_labels": _obj(
            {"zh": {"type": "array", "items": {"type": "string"}}, "en": {"type": "array", "items": {"type": "string"}}}
        ),
        "type": {"type": "string"},
        "note": {"type": "integer", "nullable": True},
        "definition": TEXT,
        "definition_source": {"type": "string", "enum": ["official", "editorial", "inText", "notYetDefined"]},
        "components": {
            "type": "array",
            "items": _obj(
                {"order": {"type": "integer"}, "label": TEXT, "count": {"type": "integer"}, "qualifier": TEXT}
            ),
        },
        "related": {"type": "array", "items": _obj({"iri": {"type": "string"}, "label": TEXT})},
        "dimensions": {"type": "array", "items": _obj({"iri": {"type": "string"}, "label": TEXT, "colour": TEXT})},
        "mentions": {
            "type": "array",
            "items": _obj(
                {k: {"type": "string"} for k in ("part", "section", "initiative", "quote")}
                | {"report": {"type": "string", "nullable": True}}
                | {"start": {"type": "integer"}, "end": {"type": "integer"}}
            ),
        },
        "mentions_total": {"type": "integer"},
        "mentions_offset": {"type": "integer"},
    }
)
PAGING: list[dict[str, Any]] = [
    {
        "name": "offset",
        "in": "query",
        "schema": {"type": "integer", "default": 0, "minimum": 0},
        "description": "skip this many (of a term's mentions, of the matching quantities)",
    },
    {
        "name": "limit",
        "in": "query",
        "schema": {"type": "integer", "default": PAGE, "minimum": 0, "maximum": PAGE_MAX},
        "description": "at most this many; a Link header (rel=next) names the next page",
    },
]
OPENAPI: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {
        "title": "Nanmatou knowledge graph API",
        "version": "1",
        "description": "Glossary look-ups, search, annotation and figures; the same JSON as `kg … --json`. "
        "SPARQL is at /sparql (SPARQL 1.1 Protocol).",
    },
    "paths": {
        "/api/terms/{id}": {
            "get": {
                "summary": "One glossary entry (kg define --json)",
                "parameters": [
                    {
                        "name": "id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                        "description": "slug, zh label, pinyin or English label",
                    },
                    *PAGING,
                ],
                "responses": {
                    "200": {"description": "the entry", "content": {"application/json": {"schema": TERM}}},
                    "404": {"description": "unknown term, with suggestions"},
                },
            }
        },
        "/api/search": {
            "get": {
                "summary": "Ranked search (kg search --json)",
                "parameters": [
                    {"name": "q", "in": "query", "required": True, "schema": {"type": "string"}},
                    {"name": "limit", "in": "query", "schema": {"type": "integer", "default": 10}},
                ],
                "responses": {
                    "200": {
                        "description": "results",
                        "content": {
                            "application/json": {
                                "schema": _obj(
                                    {
                                        "query": {"type": "string"},
                                        "results": {
                                            "type": "array",
                                            "items": _obj(
                                                {
                                                    "iri": {"type": "string"},
                                                    "label": TEXT,
                                                    "pinyin": {"type": "string"},
                                                    "score": {"type": "number"},
                                                    "matched_on": {"type": "string"},
                                                }
                                            ),
                                        },
                                    }
                                )
                            }
                        },
                    },
                    "400": {"description": "empty, binary or too long query"},
                },
            }
        },
        "/api/annotate": {
            "post": {
                "summary": "Glossary terms in a text (kg annotate --json)",
                "requestBody": {
                    "content": {
                        "application/json": {"schema": _obj({"text": {"type": "string"}})},
                        "text/plain": {"schema": {"type": "string"}},
                    }
                },
                "responses": {
                    "200": {
                        "description": "spans",
                        "content": {
                            "application/json": {
                                "schema": _obj(
                                    {
                                        "spans": {
                                            "type": "array",
                                            "items": _obj(
                                                {
                                                    "start": {"type": "integer"},
                                                    "end": {"type": "integer"},
                                                    "text": {"type": "string"},
                                                    "iri": {"type": "string"},
                                                    "label": TEXT,
                                                }
                                            ),
                                        }
                                    }
                                )
                            }
                        },
                    },
                    "400": {"description": "binary or malformed input"},
                    "413": {"description": "too large"},
                },
            }
        },
        "/api/metrics": {
            "get": {
                "summary": "Figures (kg metrics --json)",
                "parameters": [
                    {
                        "name": "q",
                        "in": "query",
                        "schema": {"type": "string"},
                        "description": "words in the label, section or unit",
                    },
                    *PAGING,
                ],
                "responses": {"200": {"description": "quantities: results, total (all that match), offset"}},
            }
        },
    },
}
