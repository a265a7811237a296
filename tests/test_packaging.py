"""The wheel, installed into a fresh virtual environment without the test extras, runs the demo.

This is what `pip install .`, a built wheel or `pipx install .` gives a user: no editable checkout,
no pyarrow, no top-level rules/ or reports/ beside it. The wheel must carry the stage subpackages,
the rules and the report templates. Slow (it installs the dependencies into a new venv, from pip's
cache on CI); marked `packaging` so it can be deselected locally with -m "not packaging".
"""

import json
import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.packaging
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(dist), str(REPO)],
                   check=True, capture_output=True)
    (path,) = dist.glob("auditor-*.whl")
    return path


def test_wheel_carries_every_stage_the_rules_and_the_templates(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for stage in ("ingest", "extract", "align", "check", "report", "state", "spark"):
        assert f"auditor/{stage}/__init__.py" in names
    for data in ("auditor/rules/taxonomy.yaml", "auditor/rules/extraction.yaml", "auditor/rules/suites/cross_source.yaml",
                 "auditor/reports/templates/base.html", "auditor/reports/static/report.css"):
        assert data in names


def test_wheel_in_a_fresh_venv_runs_the_demo(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)], check=True, capture_output=True)
    assert subprocess.run([str(python), "-c", "import pyarrow"], capture_output=True).returncode != 0
    out = tmp_path / "report"
    env = {**os.environ, "GX_ANALYTICS_ENABLED": "false"}
    # run from an unrelated folder, so nothing can be found beside the checkout
    result = subprocess.run([str(env_dir / "bin" / "auditor"), "run", str(REPO / "examples"), "--out", str(out),
                             "--state", str(tmp_path / "state.db")], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    summary = json.loads((out / "summary.json").read_text())
    assert summary["documents"] > 0 and summary["claims"] > 0
    findings = [json.loads(line) for line in (out / "findings.jsonl").read_text().splitlines() if line]
    assert len(findings) == summary["findings"]["total"]
    assert (out / "static" / "report.css").is_file() and any((out / "stories").glob("*.html"))
