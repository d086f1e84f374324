"""Shared fixtures: one build of the packaged report per test session."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import unicodedata
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from kg.cli import main
from kg.pipeline import BuildResult, build

ROOT = Path(__file__).resolve().parent.parent
ACCEPTANCE = Path(__file__).resolve().parent / "acceptance" / "questions.yaml"


def norm(text: str) -> str:
    """The comparison rule of the acceptance file: NFKC, no whitespace."""
    return "".join(c for c in unicodedata.normalize("NFKC", str(text)) if not c.isspace())


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return build(out=tmp_path_factory.mktemp("build") / "dist")


@pytest.fixture(scope="session")
def dist(built: BuildResult) -> Path:
    return built.out


@pytest.fixture(scope="session")
def questions() -> dict[str, dict[str, Any]]:
    return {q["id"]: q for q in yaml.safe_load(ACCEPTANCE.read_text(encoding="utf-8"))}


@pytest.fixture()
def kg(dist: Path, monkeypatch: pytest.MonkeyPatch):
    """Run `kg …` in-process against the session build; returns the click Result."""
    monkeypatch.setenv("KG_DIST", str(dist))
    runner = CliRunner()

    def run(*args: str, input: str | None = None):
        return runner.invoke(main, list(args), input=input, catch_exceptions=False)

    return run


@pytest.fixture()
def kg_json(kg):
    def run(*args: str) -> Any:
        res = kg(*args)
        assert res.exit_code == 0, res.output
        return json.loads(res.stdout)

    return run


def column(data: dict[str, Any], var: str) -> list[str]:
    """One variable of SPARQL JSON results, as strings."""
    return [b[var]["value"] for b in data["results"]["bindings"] if var in b]


def write_report(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@contextlib.contextmanager
def serve(dist: Path, **env: str) -> Iterator[str]:
    """Run `kg serve` on a free loopback port for ``dist``; yields the base URL."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "kg.cli", "serve", "--port", str(port), "--dist", str(dist), "--no-build"],
        env=dict(os.environ, **env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    try:
        while True:
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    proc.kill()  # its stderr ends only when it does: reading it first would wait forever
                    proc.wait(10)
                    raise RuntimeError("kg serve did not start: " + proc.stderr.read().decode()[-2000:]) from None
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """One line per reason that tests were skipped, with what to install (outside CI skips are fine)."""
    reasons: dict[str, int] = {}
    for rep in terminalreporter.stats.get("skipped", []):
        longrepr = rep.longrepr
        reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
        reason = reason.removeprefix("Skipped: ")
        reasons[reason] = reasons.get(reason, 0) + 1
    for reason, n in sorted(reasons.items()):
        terminalreporter.write_line(f"skipped {n} test(s): {reason}")
