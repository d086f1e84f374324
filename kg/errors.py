"""Exception classes raised by the library; only the CLI turns them into messages."""

from __future__ import annotations


class KGError(Exception):
    """Base class of every error a user can cause and fix."""


class SourceError(KGError):
    """A source report is missing, unreadable, binary or not of the genre."""


class CurationError(KGError):
    """A curation file is malformed or contradicts the sources."""


class ShapeViolation(KGError):
    """The built graph violates a SHACL shape."""


class QueryError(KGError):
    """A SPARQL query is unknown, malformed or misses a parameter."""


class ArtifactError(KGError):
    """Built artifacts are missing or unreadable (run `kg build`)."""


class SettingError(KGError):
    """An option or environment setting has a value that cannot be used (a base IRI, a port …)."""
