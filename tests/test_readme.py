"""The README is what a new user follows: its Python examples run, and its synopsis names every flag."""

import re
from pathlib import Path

import pytest

from auditor.cli import main

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
EXAMPLES = re.findall(r"```python\n(.*?)```", README, re.S)


def test_the_readme_has_python_examples():
    assert EXAMPLES


@pytest.mark.parametrize("number", range(len(EXAMPLES)))
def test_readme_python_example_runs(number, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    exec(compile(EXAMPLES[number], f"README.md python example {number + 1}", "exec"), {"__name__": "readme"})


@pytest.mark.parametrize("command", sorted(main.commands))
def test_the_usage_synopsis_names_every_flag(command):
    synopsis = re.search(r"## Usage\n\n```\n(.*?)```", README, re.S).group(1)
    lines = synopsis.split(f"auditor {command} ", 1)[1].split("\nauditor ", 1)[0]
    flags = [opt for param in main.commands[command].params for opt in param.opts if opt.startswith("--") and opt != "--help"]
    missing = [flag for flag in flags if not re.search(rf"\[?{re.escape(flag)}\b", lines)]
    assert missing == []
