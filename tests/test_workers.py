"""Worker processes of a build: the same files as one process, and never a hang."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import kg.building.workers as workers
from kg.index import read_terms, write_reports, write_terms
from kg.pipeline import build
from kg.store import open_store
from kg.store_graph import StoreGraph
from kg.vocab import IRIs

CORPUS = Path(__file__).resolve().parent / "fixtures" / "corpus"
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(sorted(CORPUS.glob("*.txt")), out=tmp_path_factory.mktemp("w") / "dist").out


def _dead(warm: bool = True) -> workers.IndexWorker:
    """A worker whose process died before its job (as under a script that builds on import)."""
    worker = workers.IndexWorker(warm=False)
    assert worker._proc is not None
    worker._proc.kill()
    worker._proc.join()
    return worker


@pytest.mark.parametrize("start", [lambda warm=True: None, _dead], ids=["no process", "died"])
def test_an_index_worker_that_cannot_start_leaves_the_index_to_the_build(built, tmp_path, monkeypatch, start):
    store = open_store(built)
    base = json.loads((built / "index.json").read_text(encoding="utf-8"))["base"]
    texts = {"qingtong-2021": "x"}
    want = tmp_path / "want" / "index.json"
    want.parent.mkdir()
    written = write_reports(StoreGraph(store), IRIs(base), want, texts)
    write_terms(want, read_terms(StoreGraph(store), IRIs(base)), written.counts)
    monkeypatch.setattr(workers.IndexWorker, "start", start)
    got = tmp_path / "got" / "index.json"
    got.parent.mkdir()
    with workers.index_beside(built / "oxigraph", base, got, texts, True) as beside:
        assert beside
        terms = read_terms(StoreGraph(store), IRIs(base))  # the terms' half is the caller's
    write_terms(got, terms, beside.counts)
    assert got.read_bytes() == want.read_bytes()
    assert (got.parent / "index-reports.json").read_bytes() == (want.parent / "index-reports.json").read_bytes()
    assert sorted(p.name for p in (got.parent / "mentions").iterdir()) == sorted(
        p.name for p in (want.parent / "mentions").iterdir()
    )
    assert not (got.parent / ".index-texts.pickle").exists()


def test_a_script_without_a_main_guard_builds_with_workers(tmp_path):
    """Spawned workers import the caller's main module again: a script that builds on import
    must still finish (report workers are forked; the index worker that cannot start is replaced)."""
    src = tmp_path / "src"
    shutil.copytree(CORPUS, src)
    script = tmp_path / "unguarded.py"
    script.write_text(
        textwrap.dedent(
            f"""
            import os, sys
            sys.path.insert(0, {str(ROOT)!r})
            os.environ["KG_BUILD_WORKERS"] = "2"
            from pathlib import Path
            import kg.pipeline
            kg.pipeline.MIN_REPORTS = 1
            result = kg.pipeline.build(sorted(Path({str(src)!r}).glob("*.txt")), out=Path({str(tmp_path / "dist")!r}))
            print("built", len(result.reports))
            """
        ),
        encoding="utf-8",
    )
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "built 2" in done.stdout
    assert (tmp_path / "dist" / "index.json").is_file()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".dist")]
