"""Graph views served under /views/…: the same files `kg viz` writes, cached in memory."""

from __future__ import annotations

import threading
from collections import OrderedDict

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from kg.glossary import Glossary
from kg.views import FORMATS, ViewError, make_view, render
from kg.views.projection import Projection, build_projection
from kg.web import i18n
from kg.web.api import bounded
from kg.web.lanes import Lanes, client_of

MEDIA = {
    "html": "text/html; charset=utf-8",
    "svg": "image/svg+xml",
    "png": "image/png",
    "graphml": "application/graphml+xml",
    "gexf": "application/gexf+xml",
}


class Views:
    def __init__(self, glossary: Glossary, entries: int = 64, public_url: str = "", lanes: Lanes | None = None) -> None:
        self.g = glossary
        self.lanes = lanes or Lanes()
        self.public_url = public_url.rstrip("/")
        self.cache: OrderedDict[tuple[str, ...], bytes] = OrderedDict()
        self.entries = entries
        self._projection: Projection | None = None
        self._lock = threading.Lock()

    async def view(self, request: Request) -> Response:
        """GET /views/{kind}/{args…}.{format}?depth=N&lang=zh|en"""
        path = request.path_params["path"]
        stem, dot, fmt = path.rpartition(".")
        if not dot or fmt not in FORMATS:
            return PlainTextResponse(f"add a format suffix: one of {', '.join(FORMATS)}\n", 404)
        kind, *args = stem.split("/")
        asked = request.query_params.get("lang")
        if asked is not None and asked not in ("zh", "en"):
            return PlainTextResponse("lang is zh or en\n", 400)
        lang = asked or i18n.choose(request)[0]  # without ?lang=, the site's language cookie
        try:
            depth = bounded(request, "depth", 1, 1, 4)  # 5 hops of a corpus is a minute's work
        except ValueError as exc:
            return PlainTextResponse(f"{exc}\n", 400)
        # The embed snippet must work pasted into another site: absolute, with every parameter, on
        # the configured public address (behind a proxy) or else the one this request used; the
        # address is part of the cache key, so a forged Host header never reaches another reader.
        public = self.public_url or str(request.base_url).rstrip("/")
        key = (public, kind, *args, fmt, lang, str(depth))
        data = self.cache.get(key)
        if data is None:
            try:
                url = f"{public}{request.url.path}?depth={depth}&lang={lang}"
                url = url.replace(f".{fmt}?", ".html?")
                # Two views drawn at once, two of a client's: forty at once hold two threads, not the server.
                data = await self.lanes.views.run(client_of(request), self._render, kind, args, fmt, lang, depth, url)
            except ViewError as exc:
                return PlainTextResponse(f"{exc}\n", 404)
            self.cache[key] = data
            if len(self.cache) > self.entries:
                self.cache.popitem(last=False)
        # Without ?lang= the answer depends on the cookie: a shared cache must keep the two apart.
        return Response(data, media_type=MEDIA[fmt], headers={} if asked else {"Vary": "Cookie"})

    @property
    def projection(self) -> Projection:
        """Built once per server: 7 s and 750 MB at 1,000 reports, the same for every view.

        Under a lock: views render in worker threads, and two first requests building
        it at once would hold it twice.
        """
        with self._lock:
            if self._projection is None:
                self._projection = build_projection(self.g)
            return self._projection

    def _render(self, kind: str, args: list[str], fmt: str, lang: str, depth: int, url: str) -> bytes:
        view = make_view(self.g, kind, args, depth, None, lang, self.projection)
        return render(view, self.g, fmt, lang, embed_url=url)
