"""Render query results as a table, CSV, TSV or SPARQL 1.1 JSON."""

from __future__ import annotations

import csv
import io
import json
import re

from kg.store import Result, Term
from kg.text import pad as _pad
from kg.text import width as _width

FORMATS = ("table", "csv", "tsv", "json", "xml")


def _csv_value(t: Term) -> str:
    return f"_:{t.value}" if t.type == "bnode" else t.value


def _tsv_term(t: Term) -> str:
    """A term in SPARQL TSV syntax."""
    if t.type == "uri":
        return f"<{t.value}>"
    if t.type == "bnode":
        return f"_:{t.value}"
    body = '"' + t.value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t") + '"'
    if t.lang:
        return f"{body}@{t.lang}"
    if t.datatype and t.datatype != "http://www.w3.org/2001/XMLSchema#string":
        return f"{body}^^<{t.datatype}>"
    return body


XML_BAD = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class NotXmlSafe(ValueError):
    """A value holds a character XML 1.0 cannot carry, even escaped."""


def _xml(variables: list[str], rows: list[dict[str, Term]], boolean: bool | None) -> str:
    """SPARQL Query Results XML."""
    from xml.sax.saxutils import escape, quoteattr

    for row in rows:
        for t in row.values():
            bad = XML_BAD.search(t.value)
            if bad:
                raise NotXmlSafe(
                    f"a value holds U+{ord(bad.group()):04X}, which XML 1.0 cannot carry: ask for JSON, CSV or TSV"
                )

    out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "<head>"]
    out += [f"<variable name={quoteattr(v)}/>" for v in variables]
    out.append("</head>")
    if boolean is not None:
        out.append(f"<boolean>{'true' if boolean else 'false'}</boolean>")
    else:
        out.append("<results>")
        for row in rows:
            out.append("<result>")
            for name, t in row.items():
                if t.type == "uri":
                    inner = f"<uri>{escape(t.value)}</uri>"
                elif t.type == "bnode":
                    inner = f"<bnode>{escape(t.value)}</bnode>"
                elif t.lang:
                    inner = f"<literal xml:lang={quoteattr(t.lang)}>{escape(t.value)}</literal>"
                elif t.datatype:
                    inner = f"<literal datatype={quoteattr(t.datatype)}>{escape(t.value)}</literal>"
                else:
                    inner = f"<literal>{escape(t.value)}</literal>"
                out.append(f"<binding name={quoteattr(name)}>{inner}</binding>")
            out.append("</result>")
        out.append("</results>")
    out.append("</sparql>\n")
    return "\n".join(out)


def render(result: Result, fmt: str = "table", compact: bool = False) -> str:
    """The result in ``fmt``: table, csv, tsv, json or xml (SPARQL 1.1 result formats).

    ``compact`` JSON (no indentation) is for machines: the endpoint sends it, and Python's
    C encoder writes it several times faster than the indented form the CLI prints.
    """
    if result.kind == "graph":
        return result.ntriples
    if fmt == "xml":
        return _xml(result.variables, result.rows, result.boolean if result.kind == "ask" else None)
    if fmt == "json":
        if result.kind == "ask":
            return json.dumps({"head": {}, "boolean": result.boolean}) + "\n"
        data = {
            "head": {"vars": result.variables},
            "results": {"bindings": [{k: v.to_json() for k, v in row.items()} for row in result.rows]},
        }
        if compact:
            return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"
        return json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    if result.kind == "ask":
        return ("true" if result.boolean else "false") + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(result.variables)
        for row in result.rows:
            # SPARQL 1.1 CSV: a blank node keeps its _: prefix; an unbound value is an empty field.
            w.writerow([_csv_value(row[v]) if v in row else "" for v in result.variables])
        return buf.getvalue()
    if fmt == "tsv":
        lines = ["\t".join(f"?{v}" for v in result.variables)]
        lines += ["\t".join(_tsv_term(row[v]) if v in row else "" for v in result.variables) for row in result.rows]
        return "\n".join(lines) + "\n"
    cells = [[row[v].value if v in row else "" for v in result.variables] for row in result.rows]
    widths = [max([_width(v)] + [_width(c[i]) for c in cells]) for i, v in enumerate(result.variables)]
    lines = [
        "  ".join(_pad(v, w) for v, w in zip(result.variables, widths, strict=True)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    lines += ["  ".join(_pad(c, w) for c, w in zip(cell, widths, strict=True)).rstrip() for cell in cells]
    lines.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(lines) + "\n"
