"""The ``kg`` command: thin click commands over the library.

This module holds the group and the commands that build, check and query
the graph; the glossary's commands are in ``cli_glossary.py``, the views' and
the web service's in ``cli_views.py``, what they share in ``cli_common.py``.
Only the group here turns library exceptions into ``Error: …`` and exit 1,
for every command. Heavy libraries (rdflib, pyoxigraph) are imported inside
the commands that need them, so fast commands stay fast.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from kg import cli_glossary, cli_views
from kg.cli_common import DIST_HELP, dist_folder, echo_json, load_glossary
from kg.errors import KGError


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
@click.option(
    "--keep-going",
    is_flag=True,
    help="Leave out a source that is not a work report (listed in the build report) instead of failing.",
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
    keep_going: bool,
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
      kg build downloads/*.txt --out dist --keep-going
    """
    import time

    from kg.pipeline import build as run_build

    started = time.perf_counter()
    result = run_build(
        list(sources) or None,
        dist_folder(out),
        curation_dir,
        base,
        progress=lambda msg: click.echo(msg, err=True),
        encoding=encoding,
        full=full,
        dataset_files=dataset_files,
        keep_going=keep_going,
    )
    if as_json:
        echo_json(result.report)
        return
    for src in result.sources():
        click.echo(
            f"{src['slug']}: {src['parts']} parts, {src['sections']} sections, "
            f"{src['initiatives']} initiatives, {src['practical_projects']} practical projects, "
            f"{src['notes']} notes, {src['quantities']} quantities, {len(src['unplaced'])} unplaced"
        )
        for w in src["warnings"]:
            click.echo(f"  warning: {w}", err=True)
    skipped = result.report.get("skipped")
    for skip in skipped if isinstance(skipped, list) else []:
        click.echo(f"skipped: {skip['error']}", err=True)
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

    found = validate_dist(dist_folder(dist))
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

    data = compute(dist_folder(dist))
    if central:
        from kg.views.projection import build_projection, central_terms

        data["central_terms"] = central_terms(build_projection(load_glossary(dist)), central)
    if as_json:
        echo_json(data)
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

        result = run_query(open_store(dist_folder(dist)), text)
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
        dist_folder(dist),
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
        echo_json(
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

    result = diff(load_glossary(dist), a, b)
    if as_json:
        echo_json(result)
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
        echo_json(tree(parsed))
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


# The glossary's and the views' commands live in modules of their own.
main.add_command(cli_glossary.define)
main.add_command(cli_glossary.search)
main.add_command(cli_glossary.annotate)
main.add_command(cli_glossary.metrics)
main.add_command(cli_glossary.export)
main.add_command(cli_views.viz)
main.add_command(cli_views.serve)

if __name__ == "__main__":
    main()
