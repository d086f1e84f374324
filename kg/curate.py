"""``kg curate REPORT``: a YAML stub of everything a report brings that nobody has curated yet.

The stub goes to ``<curation>/reports/<slug>.yaml`` in the formats of
``structure.yaml``, ``terms.yaml`` and ``exclusions.yaml``. A person fills in
English titles, dimensions, term types, English labels and definitions, and
reasons for quotes that are not terms; the next ``kg build`` picks it up.
Entries left blank are skipped by the loader, so a half-filled stub builds.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from kg.building.discovery import candidates, suggest
from kg.curation import Curation
from kg.errors import CurationError
from kg.parsing.model import Report
from kg.pinyin import toned
from kg.text import normalise

HEADER = """\
# Curation stub for {slug}, written by `kg curate`. Fill in what you can, then run `kg build` again.
# Entries with an empty `en` (and terms with an empty `type`) are skipped until filled.
# - parts / sections / initiatives: the English title; for work items the dimensions they serve
#   (one `primary: true`, `basis: editorial`); the machine suggestion is in a comment.
# - terms: candidates found in the report (quoted strings, numeric shorthands, note headwords):
#   give a type ({types}), an English label and definitions.
# - quotes: quoted strings that are not terms: give the reason (they leave the build report's list).
"""


def _q(text: str) -> str:
    return yaml.safe_dump(text, allow_unicode=True, default_style='"').strip()


def stub(report: Report, curation: Curation) -> str:
    """The YAML text of the stub for ``report`` (only what ``curation`` lacks)."""
    from kg.curation import TERM_TYPES

    lines = [HEADER.format(slug=report.slug, types=", ".join(TERM_TYPES))]
    parts = [p for p in report.parts if normalise(p.title) not in curation.structure]
    sections = [s for p in report.parts for s in p.sections if s.title not in curation.structure]
    items = [i for i in report.initiatives() if i.title not in curation.structure]
    lines.append("parts:")
    lines += [f'  - {{zh: {_q(p.title)}, en: ""}}' for p in parts] or ["  []"]
    lines.append("\nsections:")
    lines += [f'  - {{zh: {_q(s.title)}, en: ""}}' for s in sections] or ["  []"]
    lines.append("\ninitiatives:")
    for i in items:
        lines.append(f"  - zh: {_q(i.title)}")
        lines.append('    en: ""')
        sug = suggest(report.lookup(i.title), report.lookup_text[i.start : i.end], curation.keywords)
        if sug:
            words = ", ".join(sug[0].matched[:4])
            lines.append(f"    # machine suggestion: {', '.join(s.dimension for s in sug)} (keywords: {words});")
            lines.append("    # until you confirm it below it stays a machine suggestion, never editorial:")
            lines.append(f"    # dimensions: [{{id: {sug[0].dimension}, primary: true, basis: editorial}}]")
        lines.append("    dimensions: []")
    if not items:
        lines.append("  []")
    known = {normalise(lab) for t in curation.terms for lab in [t.zh, *t.alt_zh]}
    notes = {t: n for n in report.notes for t in n.terms}
    inline = {d.term: d for d in report.definitions}  # “工业上楼”(即…): a first draft of the definition
    found = candidates(report, known, set(curation.excluded_quotes))
    lines.append("\nterms:")
    for c in found:
        note = notes.get(c.label)
        lines.append(f"  - zh: {_q(c.label)}")
        lines.append(f"    pinyin: {_q(toned(c.label))}")
        lines.append('    en: ""')
        lines.append('    type: ""' if note is None else "    type: officialNote")
        said = inline.get(c.label)
        if note is not None:
            lines.append(f"    note: {note.number}")
            lines.append(f'    definition: {{zh: {_q(note.definition.strip())}, en: ""}}')
        elif said is not None and said.definition:
            lines.append("    # the report's own words where it uses the term: check them, and write the English")
            lines.append(f'    definition: {{zh: {_q(said.definition)}, en: ""}}')
        else:
            lines.append('    definition: {zh: "", en: ""}')
        if note is None and said is not None and said.parts:
            lines.append("    components:")
            lines += [
                f'      - {{label: {{zh: {_q(p)}, en: ""}}, count: {"null" if n is None else n}}}'
                for p, _s, _e, n in said.parts
            ]
    if not found:
        lines.append("  []")
    quotes = [c for c in found if c.label not in notes]
    lines.append("\n# Quoted strings that are not terms: move them here with a reason.")
    lines.append("quotes: []")
    if quotes:
        lines += [f'#  - {{text: {_q(c.label)}, reason: ""}}' for c in quotes]
    return "\n".join(lines) + "\n"


def write_stub(report: Report, curation: Curation, folder: Path | None = None) -> Path:
    """Write the stub to ``folder`` (default ``<curation>/reports/``); never overwrite a filled one."""
    folder = folder or curation.directory / "reports"
    path = folder / f"{report.slug}.yaml"
    if path.exists():
        raise CurationError(f"{path} exists already: edit it, or remove it to start again")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path.write_text(stub(report, curation), encoding="utf-8")
    except OSError as exc:
        raise CurationError(f"cannot write {path} ({exc.strerror}): give --out DIR") from None
    return path
