"""Find glossary terms in any Chinese text, with offsets into the original text."""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

from kg.errors import KGError
from kg.glossary import Glossary
from kg.matcher import Matcher

MAX_BYTES = 2_000_000  # an annotate input larger than this is not a document to read


class BadInput(KGError):
    """Binary, undecodable or oversized input to annotate."""


def decode_input(data: bytes, name: str = "input", charset: str | None = None) -> str:
    """Text from bytes (UTF-8, or the ``charset`` a request names: gbk, gb18030 …), refusing binary
    and oversized input."""
    if len(data) > MAX_BYTES:
        raise BadInput(f"{name} is {len(data):,} bytes; annotate takes at most {MAX_BYTES:,}")
    if b"\x00" in data:
        raise BadInput(f"{name} is binary, not text")
    codec = "utf-8-sig" if charset is None or charset.replace("_", "-") in ("utf-8", "utf8") else charset
    try:
        return data.decode(codec)
    except LookupError:
        raise BadInput(f"{name}: unknown charset '{charset}'") from None
    except UnicodeDecodeError as exc:
        raise BadInput(f"{name} is not {'UTF-8' if charset is None else charset} text (byte {exc.start})") from None


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str
    iri: str
    label: dict[str, str | None]

    def to_json(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text, "iri": self.iri, "label": self.label}


class Annotator:
    """Longest-match annotation with the glossary's zh labels, alt labels and traditional forms."""

    def __init__(self, glossary: Glossary) -> None:
        self.glossary = glossary
        labels: list[tuple[str, str]] = []
        for t in glossary.terms:
            for label in [t["label"]["zh"], *t["alt_labels"]["zh"]]:
                if label and len(label) >= 2:  # one character alone is never a term to flag
                    # Matched as the text is, simplified (兩委 and 两委 alike; 全覆盖 both sides the same)
                    labels.append((glossary.simplify(label), t["iri"]))
        self.matcher = Matcher(labels)

    def spans(self, text: str) -> list[Span]:
        """Every term in ``text``; ``text[start:end]`` is the matched text as written."""
        # Traditional characters are mapped one-to-one, so offsets stay valid.
        simplified = self.glossary.simplify(text)
        out = []
        for m in self.matcher.find(simplified):
            t = self.glossary.by_iri[m.key]
            out.append(Span(m.start, m.end, text[m.start : m.end], m.key, t["label"]))
        return out

    def html(self, text: str, title: str = "Annotated text") -> str:
        """A standalone HTML page: the text with each term linked and a tooltip (all escaped)."""
        parts = []
        pos = 0
        for s in self.spans(text):
            parts.append(html.escape(text[pos : s.start]))
            t = self.glossary.by_iri[s.iri]
            tip = t["label"]["en"] or ""
            definition = t["definition"]["en"] or t["definition"]["zh"] or ""
            if t["type"] == "candidate":
                tip, definition = t["label"]["zh"], "candidate — not yet curated"
            if definition:
                tip += " — " + (definition if len(definition) <= 160 else definition[:157] + "…")
            parts.append(
                f'<a class="term" href="{html.escape(s.iri, quote=True)}" title="{html.escape(tip, quote=True)}">'
                f"{html.escape(s.text)}</a>"
            )
            pos = s.end
        parts.append(html.escape(text[pos:]))
        body = "".join(parts).replace("\n", "<br>\n")
        return (
            '<!doctype html>\n<html lang="zh"><head><meta charset="utf-8">'
            f"<title>{html.escape(title)}</title>"
            "<style>body{font:16px/1.8 'Noto Sans CJK SC',sans-serif;max-width:46em;margin:2em auto;padding:0 1em}"
            "a.term{color:#1565C0;text-decoration:none;border-bottom:1px dotted}</style>"
            f"</head><body><p>{body}</p></body></html>\n"
        )
