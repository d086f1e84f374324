"""The ``kg`` command: thin click commands over the library.

Only this module turns library exceptions into ``Error: …`` and exit 1.
Heavy libraries (rdflib, pyoxigraph) are imported inside the commands that
need them, so fast commands stay fast.
"""

from __future__ import annotations

import json
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


def _dist(value: Path | None) -> Path:
    from kg.resources import default_dist

    return value or default_dist()


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


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
@click.option("--json", "as_json", is_flag=True, help="Print the build report as JSON.")
def build(
    sources: tuple[Path, ...], out: Path | None, curation_dir: Path | None, base: str | None, as_json: bool
) -> None:
    """Build the knowledge graph from SOURCES (default: the packaged report).

    \b
    Example:
      kg build
      kg build reports/*.txt --out dist
    """
    import time

    from kg.pipeline import build as run_build

    started = time.perf_counter()
    result = run_build(
        list(sources) or None, _dist(out), curation_dir, base, progress=lambda msg: click.echo(msg, err=True)
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
    for g, n in sorted(result.graphs.items()):
        click.echo(f"  {n:>6} triples  {g}")
    click.echo(
        f"Built {result.out} in {time.perf_counter() - started:.1f} s "
        f"(build report: {result.out / 'build-report.json'})"
    )


@main.command()
@click.option("--dist", type=click.Path(path_type=Path), default=None, help=DIST_HELP)
def validate(dist: Path | None) -> None:
    """Check the built graph against the SHACL shapes; exit 1 on violations.

    \b
    Example:
      kg validate --dist dist
    """
    from kg.validation import validate_dist

    found = validate_dist(_dist(dist))
    if found:
        for line in found:
            click.echo(line)
        raise click.exceptions.Exit(1)
    click.echo("Conforms: no SHACL violations.")


@main.command()
@click.option("--dist", type=click.Path(path_type=Path), default=None, help=DIST_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def stats(dist: Path | None, as_json: bool) -> None:
    """Triples per named graph and instances per class.

    \b
    Example:
      kg stats --json
    """
    from kg.stats import stats as compute

    data = compute(_dist(dist))
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


@main.command()
@click.argument("query")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE", help="Bind a query parameter.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json"]), default="table", show_default=True)
@click.option("--dist", type=click.Path(path_type=Path), default=None, help=DIST_HELP)
def query(query: str, params: tuple[str, ...], fmt: str, dist: Path | None) -> None:
    """Run QUERY: a name from queries/, a .rq file, or - for stdin.

    \b
    Example:
      kg query dimensions
      kg query sections --param year=2021 --format csv
      echo 'SELECT * WHERE { ?s ?p ?o } LIMIT 3' | kg query -
    """
    from kg.errors import QueryError
    from kg.queries import resolve
    from kg.results import render
    from kg.store import open_store, run_query

    values = {}
    for p in params:
        if "=" not in p:
            raise QueryError(f"--param needs NAME=VALUE, got '{p}'")
        k, v = p.split("=", 1)
        values[k.strip()] = v
    q = resolve(query, sys.stdin.read() if query == "-" else None)
    text = q.bind(values)
    click.echo(render(run_query(open_store(_dist(dist)), text), fmt), nl=False)


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


if __name__ == "__main__":
    main()
