"""The real pipeline where pyarrow is not installed (the README's install has no pyarrow).

pandas then stores objects as they come, so an enum from Great Expectations would reach the
report as ``FailureSeverity.CRITICAL`` and count under no severity. The run happens in a
subprocess whose ``import pyarrow`` fails, as it would in a venv without it.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
# import pyarrow raises ImportError, as where it is not installed; so does pyspark, which the
# spark extra brings with pyarrow (great_expectations imports pyspark when it can, and pyspark
# without pyarrow ends the process)
BLOCK = 'import sys; sys.modules["pyarrow"] = None; sys.modules["pyspark"] = None\n'
ENV = {**os.environ, "GX_ANALYTICS_ENABLED": "false"}


def run_without_pyarrow(*args, cwd):
    probe = BLOCK + "import pandas; print(pandas.Series(['a']).dtype.storage)"
    assert subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=ENV).stdout.strip() == "python"
    cli = BLOCK + "from auditor.cli import main; main(sys.argv[1:])"
    return subprocess.run([sys.executable, "-c", cli, *args], cwd=cwd, capture_output=True, text=True, env=ENV)


def overview_counts(html: str) -> dict[str, dict[str, int]]:
    """The overview's 'findings by type and severity' table: type -> severity -> count."""
    table = re.search(r'<table class="counts">(.*?)</table>', html, re.S).group(1)
    severities = re.findall(r'<th scope="col" class="num"><span class="badge \w+">(\w+)</span></th>', table)
    counts = {}
    for kind, cells in re.findall(r'<tr><th scope="row">([^<]+)</th>((?:<td[^>]*>\d+</td>)+)</tr>', table):
        numbers = [int(n) for n in re.findall(r">(\d+)</td>", cells)]
        counts[kind] = dict(zip(severities + ["total"], numbers))
    return counts


def test_overview_counts_match_the_summary_without_pyarrow(tmp_path):
    out = tmp_path / "report"
    result = run_without_pyarrow("run", str(EXAMPLES), "--out", str(out), "--workers", "1", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    summary = json.loads((out / "summary.json").read_text())
    counts = overview_counts((out / "index.html").read_text())
    by_type, by_severity = summary["findings"]["by_type"], summary["findings"]["by_severity"]
    assert summary["findings"]["total"] > 0 and set(by_severity) <= {"critical", "warning", "info"}
    assert {kind: row["total"] for kind, row in counts.items() if kind != "all types"} == by_type
    assert counts["all types"] == {**{s: by_severity.get(s, 0) for s in ("critical", "warning", "info")}, "total": summary["findings"]["total"]}
    for path in out.rglob("*"):
        if path.is_file():
            assert "FailureSeverity" not in path.read_text(errors="replace"), path
