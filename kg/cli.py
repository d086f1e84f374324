"""The ``kg`` command: thin click commands over the library.

Only this module turns library exceptions into ``Error: …`` and exit 1.
Heavy libraries (rdflib, pyoxigraph) are imported inside the commands that
need them, so fast commands stay fast.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from kg.errors import KGError

DIST_HELP = "Artifacts folder (default: $KG_DIST or ./dist)."


class _Group(click.Group):
    """Turns library errors into one line and exit 1, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KGError as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(1)
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            ctx.exit(130)
        except BrokenPipeError:  # the reader went away (`kg query … | head`): nothing left to say
            sys.stderr.close()
            ctx.exit(1)
        except OSError as exc:  # a path given on the command line: missing, a folder, not writable …
            if os.environ.get("KG_DEBUG"):  # a fault of ours may look like a user's: show where
                raise
            where = f"{exc.filename}: " if exc.filename else ""
            click.echo(f"Error: {where}{exc.strerror or exc}", err=True)
            ctx.exit(1)


def _dist(value: Path | None) -> Path:
    from kg.resources import default_dist

    return value or default_dist()


def _echo_json(data: Any) -> None:
    from kg import jsontext

    click.echo(jsontext.dumps(data, 2, sort_keys=False))  # json.dumps(indent=2)'s text, faster


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="nanmatou-kg", prog_name="kg")
def main() -> None:
    """Nanmatou knowledge graph and glossary.

    \b
    Example:
      kg build && kg stats && kg query dimensions
    """


@main.command()
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(path_type=Path), default=None, help=DIST_HELP)
@click.option(
    "--curation",
    "curation_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Curation folder (default: the packaged one).",
)
@click.option(
    "--base", default=None, help="Base IRI of the data (default: $KG_BASE_IRI or https://w3id.org/nanmatou/)."
)
@click.option("--encoding", default=None, help="Encoding of the sources (default: detected; UTF-8, UTF-16, GB18030).")
@click.option("--json", "as_json", is_flag=True, help="Print the build report as JSON.")
@click.option("--full", is_flag=True, help="Rebuild every report (ignore the build cache in the output folder).")
@click.option(
    "--dataset-files/--no-dataset-files",
    default=None,
    help="Write (or not) dataset.trig, .nq, .jsonld, graph.ttl and graph.nt (default: for at most 100 sources).",
)
def build(
    sources: tuple[Path, ...],
    out: Path | None,
    curation_dir: Path | None,
    base: str | None,
    encoding: str | None,
    as_json: bool,
    full: bool,
    dataset_files: bool | None,
) -> None:
    """Build the knowledge graph from SOURCES (default: the packaged report).

    Rebuilds only the reports whose source changed since the last build into
    the same folder (any change of curation, ontology or kg version rebuilds
    all); --full rebuilds everything. The files are the same either way.
    A corpus of more than 100 sources is built without the five dataset
    files (gigabytes, rewritten whole by every build) unless --dataset-files
    asks for them; the store, the index and the pages do not need them.

    \b
    Example:
      kg build
      kg build reports/*.txt --out dist
      kg build reports/*.txt --out dist --full
      kg build reports/*.txt --out dist --dataset-files
    """
    import time

    from kg.pipeline import build as run_build

    started = time.perf_counter()
    result = run_build(
        list(sources) or None,
        _dist(out),
        curation_dir,
        base,
        progress=lambda msg: click.echo(msg, err=True),
        encoding=encoding,
        full=full,
        dataset_files=dataset_files,
    )
    if as_json:
        _echo_json(result.report)
        return
    for src in result.sources():
        click.echo(
            f"{src['slug']}: {src['parts']} parts, {src['sections']} sections, "
            f"{src['initiatives']} initiatives, {src['practical_projects']} practical projects, "
            f"{src['notes']} notes, {src['quantities']} quantities, {len(src['unplaced'])} unplaced"
        )
        for w in src["warnings"]:
            click.echo(f"  warning: {w}", err=True)
    shacl = result.report.get("shacl")
    if isinstance(shacl, dict) and shacl.get("warnings"):
        click.echo(f"  {len(shacl['warnings'])} curation warning(s): see the build report or `kg validate`", err=True)
    for g, n in sorted(result.graphs.items()):
        click.echo(f"  {n:>6} triples  {g}")
    if result.cache is not None:
        summary = result.cache.summary()
        why = f" ({summary['reason']})" if summary["reason"] else ""
        store = "; store updated" if summary.get("store") == "updated" else ""
        shacl = "; SHACL on what changed" if summary.get("validation") == "changes" else ""
        index = "; index on what changed" if summary.get("index") == "changes" else ""
        click.echo(f"Reports rebuilt: {summary['rebuilt']}, reused: {summary['reused']}{why}{store}{shacl}{index}")
    if result.report.get("dataset_files") is False:
        click.echo("No dataset files written (`kg build --dataset-files` writes them)", err=True)
    click.echo(
        f"Built {result.out} in {time.perf_counter() - started:.1f} s "
        f"(build report: {result.out / 'build-report.json'})"
    )


@main.command()
@click.option("--dist", type=click.Path(path_type=Path), default=None, help=DIST_HELP)
@click.option("--strict", is_flag=True, help="Curation warnings count as violations (the packaged report's profile).")
def validate(dist: Path | None, strict: bool) -> None:
    """Check the built graph against the SHACL shapes; exit 1 on violations.

    Structural problems are violations; missing curation (English labels and
    titles, definitions, dimension alignment) are warnings.

    \b
    Example:
      kg validate --dist dist
      kg validate --strict      # warnings fail too
    """
    from kg.validation import validate_dist

    found = validate_dist(_dist(dist))
    for f in found:
        click.echo(f"{f.severity}: {f.line}")
    failing = [f for f in found if f.severity == "violation" or (strict and f.severity == "warning")]
    counts = {s: sum(f.severity == s for f in found) for s in ("violation", "warning", "info")}
    summary = f"{counts['violation']} violation(s), {counts['warning']} warning(s), {counts['info']} info"
    if failing:
        click.echo(f"Does not conform{' (strict)' if strict else ''}: {summary}.", err=True)
        raise click.exceptions.Exit(1)
    click.echo(f"Conforms{' (strict)' if strict else ''}: {summary}.")


@main.command()
@click.option("--dist", type=click.Path(path_type=Path), default=None, help=DIST_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--central", type=int, default=0, metavar="N", help="Also list the N most central terms.")
def stats(dist: Path | None, as_json: bool, central: int) -> None:
    """Triples per named graph and instances per class; --central N for the most central terms.

    \b
    Example:
      kg stats --json
      kg stats --central 10
    """
    from kg.stats import stats as compute

    data = compute(_dist(dist))
    if central:
        from kg.views.projection import build_projection, central_terms

        data["central_terms"] = central_terms(build_projection(_glossary(dist)), central)
    if as_json:
        _echo_json(data)
        return
    click.echo(f"{data['triples']} triples")
    click.echo("Named graphs:")
    for g, n in data["graphs"].items():
        click.echo(f"  {n:>7}  {g}")
    click.echo("Classes:")
    for c, n in data["classes"].items():
        click.echo(f"  {n:>7}  {c}")
    if central:
        click.echo("Most central terms (betweenness, degree):")
        for t in data["central_terms"]:
            click.echo(f"  {t['betweenness']:.4f}  {t['degree']:>3}  {t['term']}  {t['en']}")


@main.command()
@click.argument("query")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE", help="Bind a query parameter.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json"]), default="table", show_default=True)
@click.option("--dist", type=click.Path(path_type=Path), default=None, help=DIST_HELP)
@click.option("--endpoint", default=None, metavar="URL", help="Run on a remote SPARQL 1.1 endpoint instead.")
@click.option("--user", default=None, help="User name for the endpoint.")
@click.option("--password", default=None, help="Password for the endpoint (or $KG_PASSWORD).", envvar="KG_PASSWORD")
@click.option("--auth", "auth_scheme", type=click.Choice(["basic", "digest"]), default="basic", show_default=True)
@click.option("--timeout", type=float, default=30.0, show_default=True, help="Seconds to wait for the endpoint.")
def query(
    query: str,
    params: tuple[str, ...],
    fmt: str,
    dist: Path | None,
    endpoint: str | None,
    user: str | None,
    password: str | None,
    auth_scheme: str,
    timeout: float,
) -> None:
    """Run QUERY: a name from queries/, a .rq file, or - for stdin.

    \b
    Example:
      kg query dimensions
      kg query sections --param year=2021 --format csv
      echo 'SELECT * WHERE { ?s ?p ?o } LIMIT 3' | kg query -
      kg query dimensions --endpoint http://localhost:8890/sparql
    """
    from kg.errors import QueryError
    from kg.queries import resolve
    from kg.results import render

    values = {}
    for p in params:
        if "=" not in p:
            raise QueryError(f"--param needs NAME=VALUE, got '{p}'")
        k, v = p.split("=", 1)
        values[k.strip()] = v
    q = resolve(query, sys.stdin.read() if query == "-" else None)
    text = q.bind(values)
    if endpoint:
        from kg.remote import Auth, remote_query

        result = remote_query(endpoint, text, Auth(user, password, auth_scheme), timeout)
    else:
        from kg.store import open_store, run_query

        result = run_query(open_store(_dist(dist)), text)
    click.echo(render(result, fmt), nl=False)


@main.command()
@click.option("--endpoint", default=None, metavar="URL", help="SPARQL 1.1 Update endpoint (fallback).")
@click.option("--graph-store", default=None, metavar="URL", help="SPARQL 1.1 Graph Store HTTP Protocol endpoint.")
@click.option("--user", default=None, help="User name for the store.")
@click.option("--password", default=None, help="Password for the store (or $KG_PASSWORD).", envvar="KG_PASSWORD")
@click.option("--auth", "auth_scheme", type=click.Choice(["basic", "digest"]), default="basic", show_default=True)
@click.option("--timeout", type=float, default=60.0, show_default=True, help="Seconds per request.")
@click.option("--dist", type=click.Path(path_type=Path), default=None, help=DIST_HELP)
def push(
    endpoint: str | None,
    graph_store: str | None,
    user: str | None,
    password: str | None,
    auth_scheme: str,
    timeout: float,
    dist: Path | None,
) -> None:
    """Load the built dataset into a SPARQL store, replacing each named graph.

    \b
    Example (Virtuoso):
      kg push --graph-store http://localhost:8890/sparql-graph-crud-auth \\
              --endpoint http://localhost:8890/sparql-auth --user dba --password dba --auth digest
    """
    from kg.remote import Auth
    from kg.remote import push as run_push

    report = run_push(
        _dist(dist),
        endpoint,
        graph_store,
        Auth(user, password, auth_scheme),
        timeout,
        progress=lambda m: click.echo(m, err=True),
    )
    total = sum(report.graphs.values())
    click.echo(f"Pushed {total} triples in {len(report.graphs)} graphs ({report.method}).")


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def queries(as_json: bool) -> None:
    """List the curated queries.

    \b
    Example:
      kg queries
    """
    from kg.queries import library

    lib = library()
    if as_json:
        _echo_json(
            [
                {
                    "name": q.name,
                    "title": q.title,
                    "description": q.description,
                    "answers": q.answers,
                    "params": [{"name": p.name, "default": p.default, "description": p.description} for p in q.params],
                }
                for q in lib.values()
            ]
        )
        return
    for q in lib.values():
        params = " ".join(f"--param {p.name}={p.default or '…'}" for p in q.params)
        click.echo(f"{q.name:<24} {q.title}" + (f"  [{params}]" if params else ""))


def _glossary(dist: Path | None) -> Any:
    from kg.glossary import Glossary

    return Glossary.load(_dist(dist))


@main.command()
@click.argument("term")
@click.option("--json", "as_json", is_flag=True, help="Print the entry as JSON (shape in the README).")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True, help="Language shown first.")
@click.option(
    "--limit", type=click.IntRange(min=0), default=None, help="Show at most N mentions (default: all of them)."
)
@click.option("--offset", type=click.IntRange(min=0), default=0, show_default=True, help="Skip the first N mentions.")
@click.option("--dist", type=click.Path(path_type=Path), default=None, help=DIST_HELP)
def define(term: str, as_json: bool, lang: str, limit: int | None, offset: int, dist: Path | None) -> None:
    """Define TERM: characters, pinyin or English label.

    \b
    Example:
      kg define 三会一代理
      kg define "five forces" --json
      kg define 居民区 --limit 20 --offset 40
    """
    entry = _glossary(dist).define(term, offset, limit)
    if as_json:
        _echo_json(entry)
        return
    click.echo(_format_entry(entry, lang))


def _format_entry(e: dict[str, Any], lang: str) -> str:
    other = "en" if lang == "zh" else "zh"
    lines = [f"{e['label']['zh']}  {e['pinyin'] or ''}  —  {e['label']['en'] or ''}"]
    if e.get("part_of"):
        p = e["part_of"]
        which = ", ".join(map(str, p["orders"]))
        lines.append(f"  component {which} of {p['label']['zh']} ({p['label']['en'] or ''}), counted {p['count']}")
        for code in (lang, other):
            if e["definition"][code]:
                lines.append(f"  [{code}] {e['definition'][code]}")
        for code in (lang, other):
            if p["definition"][code]:
                lines.append(f"  {p['label']['zh']}: {p['definition'][code]}")
        return "\n".join(lines)
    meta = [e["type"] or ""]
    notes = e.get("notes") or []  # an index of an older build has none
    if len(notes) > 1:
        meta.append("official notes in " + ", ".join(f"{n['report']} ({n['number']})" for n in notes))
    elif e["note"] is not None:
        meta.append(f"official note {e['note']}")
    lines.append("  " + ", ".join(m for m in meta if m))
    if e["status"] != "curated":
        from kg.glossary import STATUS_TEXT

        lines.append(f"  ({STATUS_TEXT[e['status']]})")
    source = "official" if e["definition_source"] == "official" else "editorial"
    if len(notes) > 1:  # a note in several reports: each report's words, and ours in English
        for n in notes:
            lines.append(f"  [official, zh, note {n['number']} of {n['report']}] {n['definition']}")
        if e["definition"]["en"]:
            lines.append(f"  [translation, en] {e['definition']['en']}")
    else:
        for code in (lang, other):
            if e["definition"][code]:
                lines.append(f"  [{source}, {code}] {e['definition'][code]}")
    if e["components"]:
        lines.append("  Components:")
        for c in e["components"]:
            qual = c["qualifier"][lang] or c["qualifier"]["zh"] if c["qualifier"] else ""
            lines.append(
                f"    {c['order']:>2}. {c['label']['zh']:<12} {c['label']['en'] or '':<40} "
                f"x{c['count']}" + (f"  ({qual})" if qual else "")
            )
    if e["related"]:
        lines.append("  Related: " + ", ".join(r["label"]["zh"] for r in e["related"]))
    if e["dimensions"]:
        lines.append("  Dimensions: " + ", ".join(d["label"][lang] or d["label"]["zh"] for d in e["dimensions"]))
    total, shown = e["mentions_total"], len(e["mentions"])
    if total and not shown:
        lines.append(f"  Mentions (none of {total} shown)")
    if shown:
        first = e["mentions_offset"] + 1
        counted = f"{total}" if shown == total else f"{first}–{first + shown - 1} of {total}"
        lines.append(f"  Mentions ({counted}):")
        reports = {m["report"] for m in e["mentions"]}
        for m in e["mentions"]:
            where = " › ".join(x for x in (m["part"], m["section"], m["initiative"]) if x) or "title and header"
            if len(reports) > 1:
                where = f"{m['report']}: {where}"
            lines.append(f"    [{m['start']}–{m['end']}] {where}")
            lines.append(f"      {m['quote']}")
    return "\n".join(lines)


@main.command()
@click.argument("query")
@click.option("--limit", type=click.IntRange(1, 100), default=10, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--dist", type=click.Path(path_type=Path), default=None, help=DIST_HELP)
def search(query: str, limit: int, as_json: bool, dist: Path | None) -> None:
    """Search the glossary by characters, pinyin, initials, English or traditional characters.

    \b
    Example:
      kg search shydl
      kg search "san hui yi dai li" --json
    """
    hits = _glossary(dist).search(query, limit)
    if as_json:
        _echo_json({"query": query, "results": [h.to_json() for h in hits]})
        return
    if not hits:
        click.echo("No match.")
    for h in hits:
        t = h.term
        click.echo(
            f"{h.score:>6.1f}  {t['label']['zh']}  {t['pinyin'] or ''}  —  {t['label']['en'] or ''}  ({h.matched_on})"
        )


@main.command()
@click.argument("file", required=False, default="-")
@click.option("--json", "as_json", is_flag=True, help="Print the spans as JSON.")
@click.option("--html", "as_html", is_flag=True, help="Print the text as HTML with linked, tooltipped terms.")
@click.option("--dist", type=click.Path(path_type=Path), default=None, help=DIST_HELP)
def annotate(file: str, as_json: bool, as_html: bool, dist: Path | None) -> None:
    """Find glossary terms in FILE (or - for stdin), with offsets.

    \b
    Example:
      echo "加强三会一代理机制应用" | kg annotate --json
      kg annotate speech.txt --html > speech.html
    """
    from kg.annotate import Annotator, BadInput, decode_input

    if as_json and as_html:
        raise click.UsageError("--json and --html are two outputs: choose one")
    if file == "-":
        data = sys.stdin.buffer.read()
    else:
        try:
            data = Path(file).read_bytes()
        except OSError as exc:
            raise BadInput(f"{file}: {exc.strerror or 'cannot read'}") from None
    text = decode_input(data, "stdin" if file == "-" else file)
    annotator = Annotator(_glossary(dist))
    if as_html:
        click.echo(annotator.html(text), nl=False)
    elif as_json:
        _echo_json({"spans": [s.to_json() for s in annotator.spans(text)]})
    else:
        for s in annotator.spans(text):
            click.echo(f"{s.start}\t{s.end}\t{s.text}\t{s.label['en'] or ''}\t{s.iri}")


@main.command()
@click.argument("words", nargs=-1)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV.")
@click.option("--dist", type=click.Path(path_type=Path), default=None, help=DIST_HELP)
def metrics(words: tuple[str, ...], as_json: bool, as_csv: bool, dist: Path | None) -> None:
    """List the report's quantities, filtered by WORDS in the label, section or unit.

    \b
    Example:
      kg metrics 警情
      kg metrics 元 --csv
    """
    from kg.metrics import metrics as select
    from kg.metrics import to_csv

    rows = select(_glossary(dist), " ".join(words))
    if as_json:
        _echo_json({"results": rows})
    elif as_csv:
        click.echo(to_csv(rows), nl=False)
    else:
        for r in rows:
            approx = "≈" if r["approx"] else " "
            change = f"  ({r['change_percent']:+g}% y/y)" if r["change_percent"] is not None else ""
            label = r["label"]["zh"] + (f" ({r['label']['en']})" if r["label"]["en"] else "")
            click.echo(f"{approx}{r['value']:>14,} {r['unit']:<4} {label}{change}  — {r['initiative'] or ''}")
        click.echo(f"({len(rows)} quantities)")


@main.group()
def export() -> None:
    """Export data: the glossary."""


@export.command("glossary")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "md", "json", "jsonld", "anki", "html"]),
    default="csv",
    show_default=True,
)
@click.option(
    "--group-by",
    type=click.Choice(["dimension", "type"]),
    default="dimension",
    show_default=True,
    help="Grouping of the HTML handout.",
)
@click.option("--out", type=click.Path(path_type=Path), default=None, help="Write to a file instead of stdout.")
@click.option("--dist", type=click.Path(path_type=Path), default=None, help=DIST_HELP)
def export_glossary(fmt: str, group_by: str, out: Path | None, dist: Path | None) -> None:
    """Export the glossary as CSV, Markdown, JSON, SKOS JSON-LD, Anki cards or an A4 handout.

    \b
    Example:
      kg export glossary --format anki --out nanmatou.txt
      kg export glossary --format html --group-by type --out handout.html
    """
    from kg.export import export_glossary as render

    text = render(_glossary(dist), fmt, group_by)
    if out is None:
        click.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        click.echo(f"Wrote {out}", err=True)


@main.command()
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
@click.option("--depth", type=click.IntRange(1, 5), default=1, show_default=True, help="Term neighbourhood depth.")
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

    fmt = fmt or {".svg": "svg", ".png": "png", ".graphml": "graphml", ".gexf": "gexf"}.get(out.suffix, "html")
    glossary = _glossary(dist)
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


@main.command()
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
    from kg.web.http import CorkedHttpToolsProtocol

    check_listen(host, port)  # a busy port is one line, before anything is built or started
    folder = _dist(dist)
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
        http=CorkedHttpToolsProtocol,  # each response in one write: head and body (kg/web/http.py)
    )


@main.command("diff")
@click.argument("a")
@click.argument("b")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--dist", type=click.Path(path_type=Path), default=None, help=DIST_HELP)
def diff_reports(a: str, b: str, as_json: bool, dist: Path | None) -> None:
    """What changed from report A to report B (slugs of reports built together).

    Terms added and dropped, quantities changed (both values), work items
    continued, new and ended.

    \b
    Example:
      kg build reports/2021.txt reports/2022.txt
      kg diff 2021 2022 --json
    """
    from kg.diff import diff, render

    result = diff(_glossary(dist), a, b)
    if as_json:
        _echo_json(result)
    else:
        click.echo(render(result))


@main.command()
@click.argument("report", type=click.Path(path_type=Path))
@click.option("--encoding", default=None, help="Encoding of the report (default: detected).")
@click.option("--json", "as_json", is_flag=True, help="Print the tree as JSON.")
def outline(report: Path, encoding: str | None, as_json: bool) -> None:
    """Print the parsed tree of a report with counts, to confirm a parse at a glance.

    \b
    Example:
      kg outline reports/changshou-2023.txt
    """
    from kg.parsing.outline import outline as tree
    from kg.parsing.outline import render
    from kg.parsing.report import parse_file

    parsed = parse_file(report, encoding)
    if as_json:
        _echo_json(tree(parsed))
    else:
        click.echo(render(parsed))


@main.command()
@click.argument("report", type=click.Path(path_type=Path))
@click.option(
    "--curation",
    "curation_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Curation folder to compare with and write into (default: the packaged one).",
)
@click.option(
    "--out", type=click.Path(path_type=Path), default=None, help="Folder for the stub (default: CURATION/reports)."
)
@click.option("--encoding", default=None, help="Encoding of the report (default: detected).")
def curate(report: Path, curation_dir: Path | None, out: Path | None, encoding: str | None) -> None:
    """Write a YAML stub of everything in REPORT that nobody has curated yet.

    Work items (with the machine's dimension suggestion), candidate terms with
    pinyin, and quoted strings to classify. Fill it in; the next `kg build`
    picks it up (blank entries are skipped).

    \b
    Example:
      kg curate reports/changshou-2023.txt
    """
    from kg.curate import write_stub
    from kg.curation import load_curation
    from kg.parsing.report import parse_file
    from kg.resources import CURATION

    path = write_stub(parse_file(report, encoding), load_curation(curation_dir or CURATION), out)
    click.echo(f"Wrote {path}: fill it in, then run `kg build` again.")


if __name__ == "__main__":
    main()
