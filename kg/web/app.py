"""The ASGI application: an explicit route table over the pages, the API and /sparql."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from kg.glossary import Glossary
from kg.store import STORE_DIR
from kg.web.api import Api
from kg.web.config import WebConfig
from kg.web.pages import Pages
from kg.web.sparql import sparql_endpoint
from kg.web.views import Views
from kg.web.workers import WorkerPool

STATIC = Path(__file__).parent / "static"
RESOURCE_PREFIXES = ("term", "dimension", "report", "place", "organisation", "platform", "document")


def void(request: Request) -> Response:
    """VoID description of the dataset, in Turtle."""
    st = request.app.state
    base = st.glossary.data["base"]
    root = str(request.base_url).rstrip("/")
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
        *[f"    void:dataDump <{root}/dataset/{name}> ;" for name in ("dataset.trig", "dataset.nq", "graph.ttl")],
        "    void:vocabulary <http://www.w3.org/2004/02/skos/core#>, <http://www.w3.org/ns/prov#>, "
        "<http://www.w3.org/ns/oa#>, <http://purl.org/dc/terms/>, <https://w3id.org/nanmatou/ns#> ;",
        "    void:subset " + ", ".join(f"<{g}>" for g in graphs) + " .",
        "",
    ]
    for g, n in graphs.items():
        lines += [f"<{g}> a void:Dataset ; void:triples {n} .", ""]
    return Response("\n".join(lines), media_type="text/turtle")


def healthz(request: Request) -> JSONResponse:
    st = request.app.state
    alive = all(w.proc is not None and w.proc.is_alive() for w in st.pool.workers)
    return JSONResponse(
        {
            "status": "ok" if alive else "degraded",
            "terms": len(st.glossary.terms),
            "sparql_workers": len(st.pool.workers),
        },
        200 if alive else 503,
    )


def create_app(config: WebConfig | None = None) -> Starlette:
    """The web service over the artifacts in ``config.dist``."""
    config = config or WebConfig()
    glossary = Glossary.load(config.dist)
    pool = WorkerPool(config.dist / STORE_DIR, config.workers, config.cache_entries)
    pages = Pages(glossary, config, pool)
    api = Api(glossary, config, pages.annotator)
    views = Views(glossary)
    build_report = config.dist / "build-report.json"
    import json

    graph_counts = json.loads(build_report.read_text(encoding="utf-8")).get("graphs", {})

    routes = [
        Route("/", pages.home),
        Route("/glossary", pages.glossary),
        Route("/search", pages.search),
        Route("/annotate", pages.annotate, methods=["GET", "POST"]),
        Route("/query", pages.query_page),
        Route("/sparql", sparql_endpoint, methods=["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]),
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
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        pool.close()

    middleware = []
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
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    app.state.config = config
    app.state.glossary = glossary
    app.state.pool = pool
    app.state.pages = pages
    app.state.graph_counts = graph_counts
    return app
