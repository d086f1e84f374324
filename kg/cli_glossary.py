"""``kg define``, ``search``, ``annotate``, ``metrics`` and ``export``: the glossary for new staff."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from kg.cli_common import DIST_HELP, echo_json, load_glossary


@click.command()
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
    entry = load_glossary(dist).define(term, offset, limit)
    if as_json:
        echo_json(entry)
        return
    click.echo(_format_entry(entry, lang))


def _format_entry(e: dict[str, Any], lang: str) -> str:
    other = "en" if lang == "zh" else "zh"
    lines = [f"{e['label']['zh']}  {e['pinyin'] or ''}  —  {e['label']['en'] or ''}"]
    if e.get("part_of"):
        p = e["part_of"]
        which = ", ".join(map(str, p["orders"]))
        counted = "no fixed number" if p["count"] is None else p["count"]
        lines.append(f"  component {which} of {p['label']['zh']} ({p['label']['en'] or ''}), counted {counted}")
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
    source = {"official": "official", "inText": "in the report's text"}.get(e["definition_source"], "editorial")
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
                f"x{'N' if c['count'] is None else c['count']}" + (f"  ({qual})" if qual else "")
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
            where = (
                " › ".join(x for x in (m["part"], m["section"], m["initiative"]) if x)
                or "before the first part (title, header, opening text)"
            )
            if len(reports) > 1:
                where = f"{m['report']}: {where}"
            lines.append(f"    [{m['start']}–{m['end']}] {where}")
            lines.append(f"      {m['quote']}")
    return "\n".join(lines)


@click.command()
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
    hits = load_glossary(dist).search(query, limit)
    if as_json:
        echo_json({"query": query, "results": [h.to_json() for h in hits]})
        return
    if not hits:
        click.echo("No match.")
    for h in hits:
        t = h.term
        click.echo(
            f"{h.score:>6.1f}  {t['label']['zh']}  {t['pinyin'] or ''}  —  {t['label']['en'] or ''}  ({h.matched_on})"
        )


@click.command()
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
    annotator = Annotator(load_glossary(dist))
    if as_html:
        click.echo(annotator.html(text), nl=False)
    elif as_json:
        echo_json({"spans": [s.to_json() for s in annotator.spans(text)]})
    else:
        for s in annotator.spans(text):
            click.echo(f"{s.start}\t{s.end}\t{s.text}\t{s.label['en'] or ''}\t{s.iri}")


@click.command()
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

    rows = select(load_glossary(dist), " ".join(words))
    if as_json:
        echo_json({"results": rows})
    elif as_csv:
        click.echo(to_csv(rows), nl=False)
    else:
        for r in rows:
            approx = "≈" if r["approx"] else " "
            change = f"  ({r['change_percent']:+g}% y/y)" if r["change_percent"] is not None else ""
            label = r["label"]["zh"] + (f" ({r['label']['en']})" if r["label"]["en"] else "")
            value = f"{r['low']:,}–{r['value']:,}" if r.get("low") is not None else f"{r['value']:,}"
            click.echo(f"{approx}{value:>14} {r['unit']:<4} {label}{change}  — {r['initiative'] or ''}")
        click.echo(f"({len(rows)} quantities)")


@click.group()
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

    text = render(load_glossary(dist), fmt, group_by)
    if out is None:
        click.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        click.echo(f"Wrote {out}", err=True)
