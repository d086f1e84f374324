"""Where the packaged report, curation, ontology and queries live.

In a wheel the top-level ``ontology/`` and ``queries/`` folders are copied
into the package (``kg/_ontology``, ``kg/_queries``); in a source checkout
they are read from the repository root.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
DEFAULT_REPORT = PACKAGE / "data" / "nanmatou-2021-report.txt"
CURATION = PACKAGE / "curation"


def _top(name: str) -> Path:
    packaged = PACKAGE / f"_{name}"
    return packaged if packaged.is_dir() else PACKAGE.parent / name


def ontology_dir() -> Path:
    """The folder holding ``nmt.ttl`` and ``shapes.ttl``."""
    return _top("ontology")


def queries_dir() -> Path:
    """The folder of curated ``.rq`` queries."""
    return _top("queries")


def default_dist() -> Path:
    """Artifacts folder: ``$KG_DIST`` or ``dist`` in the working directory."""
    return Path(os.environ.get("KG_DIST", "dist"))
