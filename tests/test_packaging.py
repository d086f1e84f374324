"""`pip install .` (not editable) gives a working `kg` with the packaged data."""

from __future__ import annotations

import site
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from .conftest import ROOT


@pytest.mark.slow
def test_wheel_install_builds_and_queries(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(wheels), str(ROOT)],
        check=True,
        capture_output=True,
    )
    wheel = next(wheels.glob("nanmatou_kg-*.whl"))
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    py = env_dir / "bin" / "python"
    purelib = subprocess.run(
        [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # Dependencies come from the test environment (no network); the project itself from the wheel.
    Path(purelib, "deps.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", purelib, str(wheel)],
        check=True,
        capture_output=True,
    )
    entry = next(Path(purelib).glob("nanmatou_kg-*.dist-info")) / "entry_points.txt"
    assert "kg = kg.cli:main" in entry.read_text()
    work = tmp_path / "work"
    work.mkdir()

    def kg(*args: str) -> str:
        res = subprocess.run(
            [str(env_dir / "bin" / "python"), "-m", "kg.cli", *args], cwd=work, capture_output=True, text=True
        )
        assert res.returncode == 0, res.stderr
        return res.stdout

    where = subprocess.run(
        [str(py), "-c", "import kg; print(kg.__file__)"], cwd=work, capture_output=True, text=True, check=True
    ).stdout
    assert where.startswith(purelib), where
    kg("build")
    assert (work / "dist" / "dataset.trig").is_file()
    assert "红色先锋南码头" in kg("query", "dimensions")
    assert "dimensions" in kg("queries")
    assert "三会一代理" in kg("define", "sanhuiyidaili")
    kg("viz", "overview", "--out", "overview.html")
    assert (work / "overview.html").stat().st_size > 100_000
    pkg = Path(purelib) / "kg"
    for f in [
        "web/templates/base.html",
        "web/static/vendor/yasgui/yasgui.min.js",
        "web/static/vendor/yasgui/LICENSE",
        "views/view.css",
        "_ontology/shapes.ttl",
        "_queries/dimensions.rq",
        "curation/terms.yaml",
        "data/nanmatou-2021-report.txt",
    ]:
        assert (pkg / f).is_file(), f
