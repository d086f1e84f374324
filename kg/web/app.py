"""The ASGI application: an explicit route table over the pages, the API and /sparql."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from kg.glossary import Glossary
from kg.store import STORE_DIR
from kg.web.answering import Settings
from kg.web.api import Api
from kg.web.config import WebConfig, store_quads
from kg.web.documents import DOCS
from kg.web.lanes import Lanes, SendBudget
from kg.web.pages import Pages
from kg.web.protect import Protect
from kg.web.scheduler import WorkerPool
from kg.web.sparql import sparql_endpoint, unavailable
from kg.web.views import Views
from kg.web.workers import Unavailable

STATIC = Path(__file__).parent / "static"
RESOURCE_PREFIXES = (
    "term",
    "dimension",
    "report",
    "place",
    "organisation",
    "office",  # the offices a report names for its work items (…/office/<place+name>)
    "platform",
    "document",
    "graph",  # the named graphs (their size and provenance)
    "build",  # the build that made the data (PROV-O)
)
# Resources whose IRI is one segment under the base: the vocabulary and the scheme of the dimensions.
RESOURCE_NAMES = ("ns", "dimensions")


async def void(request: Request) -> Response:
    """VoID description of the dataset, in Turtle."""
    st = request.app.state
    base = st.glossary.data["base"]
    # The Host header is the client's to write: only characters an IRI may hold go into the Turtle.
    root = quote(str(request.base_url).rstrip("/"), safe=":/?#[]@!$&'()*+,;=%-._~")
    graphs = st.graph_counts
    lines = [
        "@prefix void: <http://rdfs.org/ns/void#> .",
        "@prefix dcterms: <http://purl.org/dc/terms/> .",
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .",
        "",
        f"<{base}dataset> a void:Dataset ;",
        '    dcterms:title "南码头知识图谱"@zh, "Nanmatou knowledge graph"@en ;',
        f"    void:sparqlEndpoint <{root}/sparql> ;",
        f'    void:uriSpace "{base}" ;',
        f"    void:triples {sum(graphs.values())} ;",
        *[
            f"    void:dataDump <{root}/dataset/{name}> ;"
            for name in ("dataset.trig", "dataset.nq", "graph.ttl")
            if (st.config.dist / name).is_file()  # a corpus may be built without them
        ],
        "    void:vocabulary <http://www.w3.org/2004/02/skos/core#>, <http://www.w3.org/ns/prov#>, "
        "<http://www.w3.org/ns/oa#>, <http://purl.org/dc/terms/>, <https://w3id.org/nanmatou/ns#> ;",
        "    void:subset " + ", ".join(f"<{g}>" for g in graphs) + " .",
        "",
    ]
    for g, n in graphs.items():
        lines += [f"<{g}> a void:Dataset ; void:triples {n} .", ""]
    return Response("\n".join(lines), media_type="text/turtle")


async def healthz(request: Request) -> JSONResponse:
    """``ok`` when every worker is ready, ``degraded`` while some restart, 503 when a lane has none."""
    st = request.app.state
    lanes = st.pool.status()
    serving = all(lane["ready"] > 0 for lane in lanes.values())
    complete = all(lane["ready"] == lane["workers"] for lane in lanes.values())
    status = "ok" if complete else "degraded" if serving else "unavailable"
    return JSONResponse(
        {
            "status": status,
            "terms": len(st.glossary.terms),
            "sparql_workers": len(st.pool.lanes["query"].workers),
            "lanes": lanes,
            "sandbox": st.pool.confinement().how if st.pool.confinement() else "none",
        },
        200 if serving else 503,
        headers={} if serving else {"Retry-After": "1"},
    )


async def _unavailable(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Unavailable)
    return unavailable(exc)


def confinement_line(app: Starlette) -> str:
    """One line for the start-up log: how the SPARQL workers are confined."""
    c = app.state.pool.confinement()
    memory = f"heap capped at {c.memory_limit >> 20} MiB each" if c and c.memory_limit else "no memory cap"
    if app.state.pool.settings.in_memory:
        memory += ", the store copied into memory"
    if c and c.offline:
        return f"SPARQL workers have no network ({c.how}); {memory}"
    how = c.how if c else "unknown"
    return f"Warning: SPARQL workers could not leave the network ({how}): the SERVICE guard stands alone; {memory}"


def create_app(config: WebConfig | None = None) -> Starlette:
    """The web service over the artifacts in ``config.dist``."""
    config = config or WebConfig()
    glossary = Glossary.load(config.dist)
    build_report = config.dist / "build-report.json"
    graph_counts = json.loads(build_report.read_text(encoding="utf-8")).get("graphs", {})
    settings = Settings(
        store=str(config.dist / STORE_DIR),
        memory=config.worker_memory,
        stack=config.worker_stack,
        network=not config.sandbox,
        max_bytes=config.max_query_bytes,
        max_depth=config.max_depth,
        in_memory=config.store_in_memory(store_quads(graph_counts)),
    )
    pool = WorkerPool(
        settings,
        config.workers,
        per_client=config.client_queries,
        client_queue=config.client_queue,
        max_queue=config.max_queue,
        cache_entries=config.cache_entries,
        cache_bytes=config.cache_bytes,
    )
    lanes = Lanes(config.annotate_slots)
    pages = Pages(glossary, config, pool, lanes)
    api = Api(glossary, config, pages.annotator, lanes)
    views = Views(glossary, public_url=config.public_url, lanes=lanes)
    routes = [
        Route("/", pages.home),
        Route("/glossary", pages.glossary),
        Route("/glossary.html", pages.glossary),  # the glossary's HTML document, as its Link header says
        Route("/search", pages.search),
        Route("/annotate", pages.annotate, methods=["GET", "POST"]),
        Route("/query", pages.query_page),
        Route("/sparql", sparql_endpoint, methods=["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]),
        Route("/downloads", pages.downloads),
        Route("/dataset/{name}", pages.dataset_file),
        Route("/.well-known/void", void),
        Route("/healthz", healthz),
        Route("/favicon.ico", lambda request: RedirectResponse("/static/favicon.svg", 301)),
        Route("/api/terms/{id:path}", api.term),
        Route("/api/search", api.search),
        Route("/api/annotate", api.annotate, methods=["POST"]),
        Route("/api/metrics", api.metrics),
        Route("/api/openapi.json", api.openapi),
        Route("/views/{path:path}", views.view),
        *[Route(f"/{prefix}/{{rest:path}}", pages.resource) for prefix in RESOURCE_PREFIXES],
        *[Route(f"/{name}{suffix}", pages.resource) for name in RESOURCE_NAMES for suffix in ("", *DOCS)],
        *[Route(f"/glossary{suffix}", pages.resource) for suffix in DOCS if suffix != ".html"],  # /glossary: a page
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        pool.start_monitor()
        # The pages' report index (134 MB of JSON at 1,000 reports) is read in the background, not
        # on the first page's request, which held the event loop for 2.7 s; /healthz answers meanwhile.
        warm.start()
        yield
        pool.close()

    warm = Warm(pages)
    middleware = [Middleware(Protect, config=config), Middleware(AfterWarm, warm=warm)]
    if config.cors:
        # Queries without credentials from any origin: the data is public and the endpoint read-only.
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=["*"],
                allow_methods=["GET", "POST"],
                allow_headers=["Content-Type", "Accept"],
                allow_credentials=False,
                expose_headers=["X-KG-Truncated", "X-KG-Max-Rows", "Link"],
            )
        )
    app = Starlette(
        routes=routes, middleware=middleware, lifespan=lifespan, exception_handlers={Unavailable: _unavailable}
    )
    app.state.config = config
    app.state.glossary = glossary
    app.state.pool = pool
    app.state.sending = SendBudget(config.max_sending_bytes)
    app.state.pages = pages
    app.state.graph_counts = graph_counts
    return app


class Warm:
    """The pages' report index, read in a thread from start-up on."""

    def __init__(self, pages: Pages) -> None:
        self.pages = pages
        self.future: asyncio.Future[None] | None = None

    def start(self) -> None:
        self.future = asyncio.get_running_loop().run_in_executor(None, self.pages.warm)

    async def wait(self) -> None:
        """Until the index is read, off the event loop: a page asked for in the first seconds read
        it (or waited for the thread's lock on it) on the loop, and /healthz waited 2.5 s at 1,000
        reports. A failed read is left for the page to meet."""
        if self.future is not None and not self.future.done():
            with contextlib.suppress(Exception):
                await asyncio.shield(self.future)  # a client that leaves cancels its wait, not the read


class AfterWarm:
    """Requests wait for :class:`Warm` but for what never reads the pages' index on the event
    loop: /healthz, static files, the API and the views (in thread lanes) and queries to /sparql
    (without a query it is the query page)."""

    def __init__(self, app: ASGIApp, warm: Warm) -> None:
        self.app = app
        self.warm = warm

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path = str(scope.get("path", ""))
            # The API and the views run in lanes of threads: what they read there waits off the loop.
            if not (
                path == "/healthz"
                or path.startswith(("/static/", "/api/", "/views/"))
                or (path == "/sparql" and (scope.get("query_string") or scope.get("method") == "POST"))
            ):
                await self.warm.wait()
        await self.app(scope, receive, send)
