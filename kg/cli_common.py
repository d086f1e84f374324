"""What the ``kg`` commands share: the artifacts folder and JSON output."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

DIST_HELP = "Artifacts folder (default: $KG_DIST or ./dist)."


def dist_folder(value: Path | None) -> Path:
    """The artifacts folder: ``value``, else $KG_DIST or ./dist."""
    from kg.resources import default_dist

    return value or default_dist()


def echo_json(data: Any) -> None:
    """Print ``data`` as indented JSON."""
    from kg import jsontext

    click.echo(jsontext.dumps(data, 2, sort_keys=False))  # json.dumps(indent=2)'s text, faster


def load_glossary(dist: Path | None) -> Any:
    """The glossary of the build in ``dist`` (default: $KG_DIST or ./dist)."""
    from kg.glossary import Glossary

    return Glossary.load(dist_folder(dist))
