"""The human-editable curation layer: YAML files loaded, checked and typed.

Every error names the file and line (``terms.yaml:42: …``).  See the README
for the format of each file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kg.errors import CurationError
from kg.text import normalise

TERM_TYPES = (
    "officialNote",
    "slogan",
    "campaign",
    "platform",
    "programme",
    "institution",
    "placeType",
    "policy",
    "measure",
)
TERM_KEYS = (
    "zh",
    "en",
    "type",
    "pinyin",
    "alt",
    "note",
    "definition",
    "components",
    "related",
    "dimensions",
    "quoted",
)
ENTITY_KINDS = {
    # kind: (IRI path segment, RDF class CURIE)
    "area": ("place", "nmt:Place"),
    "residential-area": ("place", "nmt:Place"),
    "estate": ("place", "nmt:Place"),
    "road": ("place", "nmt:Place"),
    "park": ("place", "nmt:Place"),
    "industrial-park": ("place", "nmt:Place"),
    "building": ("place", "nmt:Place"),
    "organisation": ("organisation", "org:Organization"),
    "platform": ("platform", "nmt:Platform"),
    "document": ("document", "nmt:CitedDocument"),
}
HEX_RE = re.compile(r"^#[0-9A-Fa-f]{6}$")


# libyaml's parser when PyYAML was built with it: the curation is read on every
# build, and the pure-Python scanner was a quarter of a one-report build.
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_SafeLoader):  # type: ignore[valid-type,misc]
    """A safe loader that records each mapping's line as ``__line__``."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


@dataclass
class Text:
    """A string in Chinese and English."""

    zh: str = ""
    en: str = ""


@dataclass
class Component:
    order: int
    label: Text
    count: int | None  # None: no fixed number (the N of 1+3+N; `count: null`)
    qualifier: Text
    term: str | None  # zh label of the glossary entry it stands for


@dataclass
class TermEntry:
    zh: str
    en: str
    type: str
    definition: Text
    file: str
    line: int
    pinyin: str | None = None
    alt_zh: list[str] = field(default_factory=list)
    alt_en: list[str] = field(default_factory=list)
    note: int | None = None
    components: list[Component] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    dimensions: list[str] = field(default_factory=list)
    # A term that is also an everyday phrase (家门口: 办好家门口的学校): outside the curation's own
    # subdistrict, mentioned only where a report quotes it (“家门口”).
    quoted: bool = False


@dataclass
class DimensionEntry:
    id: str
    order: int
    label: Text
    colour: Text
    short: Text
    display: str
    explanation: Text


@dataclass
class AlignmentEntry:
    dimension: str
    primary: bool
    basis: str  # "heading" | "editorial"
    rationale: Text


@dataclass
class StructureEntry:
    zh: str
    en: str
    alignments: list[AlignmentEntry] = field(default_factory=list)
    continues: list[str] = field(default_factory=list)
    line: int = 0


@dataclass
class EntityEntry:
    zh: str
    en: str
    kind: str
    alt: list[str] = field(default_factory=list)
    note: Text = field(default_factory=Text)
    # A name any subdistrict uses of its own (区委, 社区卫生中心): counted only in reports of the
    # entities' place; elsewhere it is another body.
    local: bool = False


@dataclass
class Curation:
    """Everything the editors add to what the parser finds."""

    directory: Path
    dimensions: list[DimensionEntry] = field(default_factory=list)
    terms: list[TermEntry] = field(default_factory=list)
    structure: dict[str, StructureEntry] = field(default_factory=dict)  # by normalised zh title
    entities: list[EntityEntry] = field(default_factory=list)
    excluded_quotes: dict[str, str] = field(default_factory=dict)  # normalised quote → reason
    ignored_numbers: list[tuple[str, str]] = field(default_factory=list)  # (regex, reason)
    quantity_labels: dict[str, Text] = field(default_factory=dict)  # normalised clause|raw#nth → label
    # The subdistrict whose reports a label was written for (its clause may recur in another's).
    quantity_label_places: dict[str, str] = field(default_factory=dict)
    keywords: dict[str, list[str]] = field(default_factory=dict)  # dimension id → words (machine suggestions)
    entity_place: str | None = None  # the subdistrict the entities belong to: alt labels count only there
    within: list[str] = field(default_factory=list)  # the places it lies within (浦东新区, 上海市), normalised
    files: list[Path] = field(default_factory=list)

    def term(self, zh: str) -> TermEntry | None:
        key = normalise(zh)
        for t in self.terms:
            if normalise(t.zh) == key or key in (normalise(a) for a in t.alt_zh):
                return t
        return None


class _Reader:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = path.name

    def load(self) -> Any:
        try:
            return yaml.load(self.path.read_text(encoding="utf-8"), Loader=_LineLoader)
        except FileNotFoundError:
            return None
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f":{mark.line + 1}" if mark else ""
            problem = getattr(exc, "problem", None) or str(exc)
            raise CurationError(f"{self.name}{where}: malformed YAML ({problem})") from None

    def fail(self, node: Any, message: str) -> CurationError:
        line = node.get("__line__", "?") if isinstance(node, dict) else "?"
        return CurationError(f"{self.name}:{line}: {message}")

    def text(self, node: Any, key: str, required: tuple[str, ...] = ()) -> Text:
        value = node.get(key) if isinstance(node, dict) else None
        if value is None:
            value = {}
        if isinstance(value, str):
            value = {"zh": value}
        if not isinstance(value, dict):
            raise self.fail(node, f"'{key}' must map zh/en to text")
        self.keys(value, ("zh", "en"), key)
        out = Text(str(value.get("zh") or ""), str(value.get("en") or ""))
        for lang in required:
            if not getattr(out, lang):
                raise self.fail(node, f"'{key}' needs a '{lang}' text")
        return out

    def keys(self, node: Any, allowed: tuple[str, ...], what: str) -> None:
        """Refuse keys the format does not have, which is how YAML's traps show: in an unquoted flow
        mapping ``{zh: 甲,乙, en: …}`` an ASCII comma cuts the text and leaves ``乙`` as a stray key."""
        if not isinstance(node, dict):
            return
        for k in node:
            if k == "__line__" or k in allowed:
                continue
            hint = " (an ASCII comma in unquoted text? quote the text)" if node.get(k) is None else ""
            raise self.fail(node, f"unknown key '{k}' in {what}{hint}; allowed: {', '.join(allowed)}")

    def req(self, node: Any, key: str) -> Any:
        if not isinstance(node, dict) or node.get(key) in (None, ""):
            raise self.fail(node, f"missing '{key}'")
        return node[key]

    def items(self, data: Any, key: str) -> list[Any]:
        if data is None:
            return []
        value = data.get(key, []) if isinstance(data, dict) else None
        if not isinstance(value, list):
            raise CurationError(f"{self.name}: '{key}' must be a list")
        for item in value:
            if not isinstance(item, dict):
                raise CurationError(f"{self.name}: every entry of '{key}' must be a mapping")
        return value


def _strings(reader: _Reader, node: dict[str, Any], key: str) -> list[str]:
    value = node.get(key) or []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
        raise reader.fail(node, f"'{key}' must be a list of strings")
    return [str(v) for v in value]


def _terms(reader: _Reader, data: Any, dims: set[str]) -> list[TermEntry]:
    out = []
    for node in reader.items(data, "terms"):
        reader.keys(node, TERM_KEYS, "a term")
        ttype = reader.req(node, "type")
        if ttype not in TERM_TYPES:
            raise reader.fail(node, f"unknown type '{ttype}' (one of: {', '.join(TERM_TYPES)})")
        comps = []
        for i, c in enumerate(node.get("components") or [], 1):
            if not isinstance(c, dict):
                raise reader.fail(node, "each component must be a mapping")
            reader.keys(c, ("label", "count", "qualifier", "term"), "a component")
            label = reader.text(c, "label", ("zh",))
            count = c.get("count", 1)
            if count is not None and (not isinstance(count, int) or isinstance(count, bool) or count < 1):
                raise reader.fail(c, "component 'count' must be a positive integer (or null: no fixed number)")
            comps.append(Component(i, label, count, reader.text(c, "qualifier"), c.get("term")))
        alt = node.get("alt") or {}
        reader.keys(alt, ("zh", "en"), "alt")
        entry = TermEntry(
            zh=str(reader.req(node, "zh")),
            en=str(reader.req(node, "en")),
            type=ttype,
            definition=reader.text(node, "definition"),
            file=reader.name,
            line=node["__line__"],
            pinyin=node.get("pinyin"),
            alt_zh=_strings(reader, alt, "zh") if isinstance(alt, dict) else [],
            alt_en=_strings(reader, alt, "en") if isinstance(alt, dict) else [],
            note=node.get("note"),
            components=comps,
            related=_strings(reader, node, "related"),
            dimensions=_strings(reader, node, "dimensions"),
            quoted=node.get("quoted") is True,
        )
        for d in entry.dimensions:
            if d not in dims:
                raise reader.fail(node, f"unknown dimension '{d}'")
        out.append(entry)
    return out


def _dimensions(reader: _Reader, data: Any) -> list[DimensionEntry]:
    out = []
    for i, node in enumerate(reader.items(data, "dimensions"), 1):
        reader.keys(node, ("id", "label", "colour", "short", "display", "explanation"), "a dimension")
        display = str(reader.req(node, "display"))
        if not HEX_RE.match(display):
            raise reader.fail(node, f"display colour '{display}' is not #RRGGBB")
        out.append(
            DimensionEntry(
                str(reader.req(node, "id")),
                i,
                reader.text(node, "label", ("zh", "en")),
                reader.text(node, "colour", ("zh", "en")),
                reader.text(node, "short", ("zh", "en")),
                display,
                reader.text(node, "explanation", ("zh", "en")),
            )
        )
    return out


def _structure(reader: _Reader, data: Any, dims: set[str]) -> dict[str, StructureEntry]:
    out: dict[str, StructureEntry] = {}
    for key in ("parts", "sections", "initiatives"):
        for node in reader.items(data, key):
            reader.keys(node, ("zh", "en", "dimensions", "continues"), f"an entry of '{key}'")
            zh = normalise(str(reader.req(node, "zh")))
            aligns = []
            for a in node.get("dimensions") or []:
                if not isinstance(a, dict):
                    raise reader.fail(node, "each dimension alignment must be a mapping")
                reader.keys(a, ("id", "primary", "basis", "rationale"), "a dimension alignment")
                dim = str(reader.req(a, "id"))
                if dim not in dims:
                    raise reader.fail(a, f"unknown dimension '{dim}'")
                basis = a.get("basis", "editorial")
                if basis not in ("heading", "editorial"):
                    raise reader.fail(a, "basis must be 'heading' or 'editorial'")
                aligns.append(AlignmentEntry(dim, bool(a.get("primary", False)), basis, reader.text(a, "rationale")))
            if aligns and sum(a.primary for a in aligns) != 1:
                raise reader.fail(node, "exactly one dimension alignment must be primary")
            if zh in out:
                raise reader.fail(node, f"'{zh}' is curated twice")
            out[zh] = StructureEntry(
                zh, str(reader.req(node, "en")), aligns, _strings(reader, node, "continues"), node["__line__"]
            )
    return out


def _entities(reader: _Reader, data: Any) -> list[EntityEntry]:
    out = []
    for node in reader.items(data, "entities"):
        reader.keys(node, ("zh", "en", "kind", "alt", "note", "local"), "an entity")
        kind = reader.req(node, "kind")
        if kind not in ENTITY_KINDS:
            raise reader.fail(node, f"unknown kind '{kind}' (one of: {', '.join(ENTITY_KINDS)})")
        out.append(
            EntityEntry(
                str(reader.req(node, "zh")),
                str(reader.req(node, "en")),
                kind,
                _strings(reader, node, "alt"),
                reader.text(node, "note"),
                node.get("local") is True,
            )
        )
    return out


def _filled(data: Any, key: str, *required: str) -> list[Any]:
    """Entries of a stub list whose required fields are filled in (blank ones wait for a person)."""
    items = data.get(key) if isinstance(data, dict) else None
    return [n for n in items or [] if isinstance(n, dict) and all(n.get(k) for k in required)]


def _report_stub(cur: Curation, reader: _Reader, dims: set[str]) -> None:
    """Merge a ``kg curate`` stub (``reports/<slug>.yaml``): filled entries only."""
    data = reader.load()
    filled = {k: _filled(data, k, "zh", "en") for k in ("parts", "sections", "initiatives")}
    for zh, entry in _structure(reader, filled, dims).items():
        if zh in cur.structure:
            raise reader.fail({"__line__": entry.line}, f"'{zh}' is curated twice (also in structure.yaml)")
        cur.structure[zh] = entry
    cur.terms.extend(_terms(reader, {"terms": _filled(data, "terms", "zh", "en", "type")}, dims))
    for node in _filled(data, "quotes", "text", "reason"):
        cur.excluded_quotes[normalise(str(node["text"]))] = str(node["reason"])


def load_curation(directory: Path) -> Curation:
    """Load and check every curation file in ``directory``."""
    if not directory.is_dir():
        raise CurationError(f"{directory}: curation directory not found")
    cur = Curation(directory)
    names = (
        "dimensions.yaml",
        "terms.yaml",
        "structure.yaml",
        "entities.yaml",
        "exclusions.yaml",
        "quantities.yaml",
        "keywords.yaml",
    )
    data = {}
    for name in names:
        reader = _Reader(directory / name)
        data[name] = (reader, reader.load())
        if (directory / name).exists():
            cur.files.append(directory / name)
    reader, d = data["dimensions.yaml"]
    cur.dimensions = _dimensions(reader, d)
    dims = {x.id for x in cur.dimensions}
    reader, d = data["terms.yaml"]
    cur.terms = _terms(reader, d, dims)
    reader, d = data["structure.yaml"]
    cur.structure = _structure(reader, d, dims)
    reader, d = data["entities.yaml"]
    cur.entities = _entities(reader, d)
    if isinstance(d, dict) and d.get("place"):
        cur.entity_place = normalise(str(d["place"]))
    if isinstance(d, dict) and isinstance(d.get("within"), list):
        cur.within = [normalise(str(w)) for w in d["within"]]
    reader, d = data["exclusions.yaml"]
    for node in reader.items(d, "quotes"):
        reader.keys(node, ("text", "reason"), "an excluded quote")
        cur.excluded_quotes[normalise(str(reader.req(node, "text")))] = str(reader.req(node, "reason"))
    for node in reader.items(d, "numbers"):
        reader.keys(node, ("pattern", "reason"), "an ignored number")
        pattern = str(reader.req(node, "pattern"))
        try:
            re.compile(pattern)
        except re.error as exc:
            raise reader.fail(node, f"bad pattern ({exc})") from None
        cur.ignored_numbers.append((pattern, str(reader.req(node, "reason"))))
    reader, d = data["quantities.yaml"]
    default_place = d.get("place") if isinstance(d, dict) else None
    for node in reader.items(d, "labels"):
        reader.keys(node, ("where", "number", "nth", "label", "place"), "a quantity label")
        key = normalise(str(reader.req(node, "where")))
        if node.get("number"):
            key += "|" + normalise(str(node["number"]))
            if node.get("nth"):  # the same number twice in one clause (4名 … 4名)
                key += f"#{int(node['nth'])}"
        label = node.get("label")
        text = reader.text(node, "label", ("zh",)) if isinstance(label, dict) else Text(str(reader.req(node, "label")))
        if key in cur.quantity_labels:
            raise reader.fail(node, f"two labels for the same quantity ('{key}'): add `nth`")
        cur.quantity_labels[key] = text
        place = node.get("place", default_place)
        if place:
            cur.quantity_label_places[key] = normalise(str(place))
    for stub in sorted((directory / "reports").glob("*.yaml")):
        _report_stub(cur, _Reader(stub), dims)
        cur.files.append(stub)
    reader, d = data["keywords.yaml"]
    if isinstance(d, dict) and isinstance(d.get("dimensions"), dict):
        for dim, words in d["dimensions"].items():
            if dim == "__line__":
                continue
            if dim not in dims or not isinstance(words, list):
                raise reader.fail(d["dimensions"], f"keywords of '{dim}': a known dimension with a list of words")
            cur.keywords[dim] = [normalise(str(w)) for w in words if str(w).strip()]
    seen: set[str] = set()
    for t in cur.terms:
        key = normalise(t.zh)
        if key in seen:
            raise CurationError(f"{t.file}:{t.line}: term '{t.zh}' is curated twice")
        seen.add(key)
    return cur
