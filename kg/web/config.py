"""Every limit of the web service in one place (environment variables override)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


def _env(name: str, default: float) -> float:
    value = os.environ.get(name)
    return float(value) if value else default


@dataclass(frozen=True)
class WebConfig:
    """Limits and settings of ``kg serve``.

    ============================  ======================  ==================================
    setting                       environment             meaning
    ============================  ======================  ==================================
    ``query_timeout`` (10 s)      ``KG_QUERY_TIMEOUT``    a SPARQL query's worker is killed
    ``max_query_bytes`` (64 KiB)  ``KG_MAX_QUERY_BYTES``  longer queries get 413
    ``max_rows`` (10,000)         ``KG_MAX_ROWS``         rows/triples returned; header says
                                                          ``X-KG-Truncated: true`` when cut
    ``workers`` (2)               ``KG_QUERY_WORKERS``    SPARQL worker processes
    ``max_annotate_bytes`` (1 MB) ``KG_MAX_ANNOTATE``     annotate uploads
    ``cache_entries`` (256)       ``KG_QUERY_CACHE``      answers kept (0: no cache); the store
                                                          is read-only while serving
    ============================  ======================  ==================================
    """

    dist: Path = field(default_factory=lambda: Path(os.environ.get("KG_DIST", "dist")))
    query_timeout: float = field(default_factory=lambda: _env("KG_QUERY_TIMEOUT", 10.0))
    max_query_bytes: int = field(default_factory=lambda: int(_env("KG_MAX_QUERY_BYTES", 64 * 1024)))
    max_rows: int = field(default_factory=lambda: int(_env("KG_MAX_ROWS", 10_000)))
    workers: int = field(default_factory=lambda: int(_env("KG_QUERY_WORKERS", 2)))
    max_annotate_bytes: int = field(default_factory=lambda: int(_env("KG_MAX_ANNOTATE", 1_000_000)))
    cache_entries: int = field(default_factory=lambda: int(_env("KG_QUERY_CACHE", 256)))
    cors: bool = True
