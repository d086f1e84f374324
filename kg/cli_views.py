"""``kg viz`` and ``kg serve``: graph views for trainers and the web service."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli_common import DIST_HELP, dist_folder, load_glossary
from kg.errors import SettingError

SUFFIXES = {".html": "html", ".htm": "html", ".svg": "svg", ".png": "png", ".graphml": "graphml", ".gexf": "gexf"}


@click.command()
@click.argument("kind", type=click.Choice(["overview", "dimension", "term", "section", "path"]))
@click.argument("args", nargs=-1)
@click.option("--out", type=click.Path(path_type=Path), required=True, help="File to write.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "svg", "png", "graphml", "gexf"]),
    default=None,
    help="Output format (default: from the file name, else html).",
)
@click.option(
    "--depth",
    type=click.IntRange(1, 5),
    default=1,
    show_default=True,
    help="Term neighbourhood depth (the server's /views allow up to 4).",
)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.option("--title", default=None, help="Title shown on the view.")
@click.option("--dist", type=click.Path(path_type=Path), default=None, help=DIST_HELP)
def viz(
    kind: str,
    args: tuple[str, ...],
    out: Path,
    fmt: str | None,
    depth: int,
    lang: str,
    title: str | None,
    dist: Path | None,
) -> None:
    """Draw a graph view: overview | dimension NAME | term TERM | section ID | path A B.

    \b
    Example:
      kg viz overview --out overview.html
      kg viz term 三会一代理 --depth 2 --out sanhui.png
      kg viz path 三会一代理 五个力 --out path.svg
    """
    from kg.views import make_view, render

    if fmt is None:
        fmt = SUFFIXES.get(out.suffix.lower(), "html" if not out.suffix else None)
        if fmt is None:  # o.pdf would be an HTML file under another name
            raise SettingError(
                f"{out}: {out.suffix} is not a format kg viz writes (name the file .html, .svg, .png, "
                ".graphml or .gexf, or give --format)"
            )
    glossary = load_glossary(dist)
    view = make_view(glossary, kind, list(args), depth, title, lang)
    data = render(view, glossary, fmt, lang, embed_url=out.name)
    out.write_bytes(data)
    for line in view.words:
        click.echo(line)
    click.echo(
        f"Wrote {out} ({view.graph.number_of_nodes()} nodes, {view.graph.number_of_edges()} edges, "
        f"{len(data) / 1024:.0f} KB)",
        err=True,
    )
    if fmt == "html":
        from kg.views.html import iframe_snippet

        click.echo(iframe_snippet(out.name, view.title))


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--dist", type=click.Path(path_type=Path), default=None, help=DIST_HELP)
@click.option(
    "--build/--no-build",
    "build_first",
    default=True,
    show_default=True,
    help="Build the packaged default first when DIST holds no graph.",
)
def serve(host: str, port: int, dist: Path | None, build_first: bool) -> None:
    """Run the web service: pages, JSON API and the SPARQL endpoint.

    \b
    Example:
      kg serve --port 8000      # then open http://127.0.0.1:8000/
    """
    import dataclasses

    import uvicorn

    from kg.web.app import confinement_line, create_app
    from kg.web.config import WebConfig, check_listen
    from kg.web.http import guarded_protocol

    check_listen(host, port)  # a busy port is one line, before anything is built or started
    folder = dist_folder(dist)
    if build_first and not (folder / "index.json").is_file():
        from kg.pipeline import build as run_build

        click.echo(f"No graph in {folder}/: building the packaged default first.", err=True)
        run_build(out=folder, progress=lambda m: click.echo(m, err=True))
    config = dataclasses.replace(WebConfig(), dist=folder)
    app = create_app(config)
    click.echo(confinement_line(app), err=True)
    click.echo(f"Serving {folder}/ on http://{host}:{port}/ (SPARQL at /sparql)", err=True)
    # No X-Forwarded-For trust: a client is its socket address (put per-client limits in a proxy).
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level="warning",
        proxy_headers=False,
        limit_concurrency=config.max_connections,
        timeout_keep_alive=5,
        # asyncio's own loop, even where uvloop is installed: uvloop makes the worker pipes
        # non-blocking, and an answer larger than the pipe's buffer then fails half-read.
        loop="asyncio",
        # Each response in one write (head and body), and the connection's own limits: connections
        # a client holds, time and bytes for a request's head (kg/web/http.py).
        http=guarded_protocol(
            config.client_connections, config.head_timeout, config.max_head_bytes, config.send_timeout
        ),
    )
