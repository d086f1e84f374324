"""The build's output folder: which folders a build may replace, and how it replaces one whole."""

from __future__ import annotations

import shutil
from pathlib import Path

from kg.cache_files import CACHE_DIR
from kg.errors import ArtifactError
from kg.glossary import NOTES_DIR
from kg.index import INDEX_FILE, MENTIONS_DIR, REPORTS_FILE
from kg.serialise import ARTIFACTS
from kg.store import STORE_DIR

# What a build writes into its folder (a build of any version): a folder holding nothing else (but
# dotfiles such as .gitkeep) may be replaced by a build, and so may one with a build report.
BUILD_FILES = frozenset(
    {"build-report.json", STORE_DIR, CACHE_DIR, INDEX_FILE, REPORTS_FILE, MENTIONS_DIR, NOTES_DIR, *ARTIFACTS}
)


def check_output(out: Path) -> None:
    """Refuse an output that a build would destroy: anything but a missing or empty folder or an
    earlier build's (a build replaces the whole folder, so a folder of other files would be lost)."""
    if not out.exists() and not out.is_symlink():
        return
    if not out.is_dir():
        raise ArtifactError(f"{out} is not a folder: choose another --out (a build writes a folder of files)")
    try:
        entries = {p.name for p in out.iterdir() if not p.name.startswith(".")}
    except OSError as exc:
        raise ArtifactError(f"cannot read {out}: {exc.strerror or exc}") from None
    others = sorted(entries - BUILD_FILES)
    if others and "build-report.json" not in entries:
        raise ArtifactError(
            f"{out} holds files that are not a build ({', '.join(others[:3])}"
            f"{' …' if len(others) > 3 else ''}): a build replaces the whole folder, so choose another "
            "--out or empty it first"
        )


def swap(new: Path, out: Path) -> None:
    """Replace ``out`` by ``new``: the old folder is moved aside, never half-written."""
    old = out.with_name(f".{out.name}-old")
    shutil.rmtree(old, ignore_errors=True)
    if out.exists():
        out.rename(old)
    new.rename(out)
    shutil.rmtree(old, ignore_errors=True)
