"""Configuration: settings for ``auditor run`` from auditor.toml or ``[tool.auditor]`` in pyproject.toml.

Looked up in order: the file given with ``--config``; ``auditor.toml`` in the current
folder; ``pyproject.toml`` in the current folder when it has a ``[tool.auditor]`` table.
Relative paths are taken relative to the file that names them, so a cron job can
run from anywhere. Command-line flags override the file. An unknown key is an
error that names it: a typo must not silently fall back to a default. So is every
bad value (wrong type, unknown finding type or tolerance, a path that does not
exist): the message names the file and the key, and the run exits 2 before any work.

    inputs = ["archive/", "feeds/world.xml"]
    out = "report"
    state = ".auditor/state.db"
    time_budget = 10         # seconds of extraction per document
    [tolerances]
    approx_tolerance = 0.05
"""

from __future__ import annotations

import math
import tomllib
from datetime import date
from pathlib import Path

from .errors import AuditorError

CONFIG_FILENAME = "auditor.toml"

# key -> (type check, what it must be): the one place the keys are spelled
KEYS = {
    "inputs": (lambda v: isinstance(v, list) and all(isinstance(i, str) for i in v), "a list of paths"),
    "out": (lambda v: isinstance(v, str), "a path"),
    "rules": (lambda v: isinstance(v, str), "a path"),
    "reference": (lambda v: isinstance(v, str), "a path"),
    "stories": (lambda v: isinstance(v, str), "a path"),
    "state": (lambda v: isinstance(v, str), "a path"),
    "since": (lambda v: isinstance(v, (date, str)), "a date (YYYY-MM-DD)"),
    "fail_on": (lambda v: isinstance(v, list) and all(isinstance(i, str) for i in v), "a list of finding types"),
    "workers": (lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 1, "a whole number >= 1"),
    "log_format": (lambda v: v in ("text", "json"), '"text" or "json"'),
    "tolerances": (lambda v: isinstance(v, dict), "a table of judgement settings"),
    "time_budget": (lambda v: _is_number(v) and v >= 0, "a number of seconds >= 0 (0: no limit)"),
    "allow_empty": (lambda v: isinstance(v, bool), "true or false"),
}
PATH_KEYS = ("out", "rules", "reference", "stories", "state")
# paths that must exist when the file is read: key -> (test, what it must be)
EXISTING = {
    "inputs": (Path.exists, "a file or folder"),
    "rules": (Path.is_dir, "a folder"),
    "reference": (Path.is_file, "a file"),
    "stories": (Path.is_file, "a file"),
}
# [tolerances]: the judgement defaults of rules/judgement.yaml (rules.JUDGEMENT_DEFAULTS)
TOLERANCES = {
    "approx_tolerance": (lambda v: _is_number(v) and v >= 0, "a number >= 0"),
    "honour_rounding": (lambda v: isinstance(v, bool), "true or false"),
    "cumulative": (lambda v: isinstance(v, bool), "true or false"),
}


def find_config(explicit: str | Path | None = None, cwd: str | Path | None = None) -> tuple[Path, dict] | None:
    """The config file in force and its raw table, or None when there is none."""
    if explicit is not None:
        path = Path(explicit)
        if not path.is_file():
            raise AuditorError(f"config file not found: {path}")
        data = _read_toml(path)
        return path, (_tool_table(data, path) or {}) if path.name == "pyproject.toml" else data
    folder = Path(cwd or Path.cwd())
    if (folder / CONFIG_FILENAME).is_file():
        path = folder / CONFIG_FILENAME
        return path, _read_toml(path)
    pyproject = folder / "pyproject.toml"
    if pyproject.is_file():
        table = _tool_table(_read_toml(pyproject), pyproject)
        if table is not None:
            return pyproject, table
    return None


def load_config(explicit: str | Path | None = None, cwd: str | Path | None = None) -> dict:
    """Validated settings with paths resolved; ``{}`` when there is no config file."""
    found = find_config(explicit, cwd)
    if found is None:
        return {}
    path, table = found
    return validate(table, path)


def validate(table: dict, path: Path) -> dict:
    where = f"{path} [tool.auditor]" if path.name == "pyproject.toml" else str(path)
    settings = {}
    for key, value in table.items():
        if key not in KEYS:
            raise AuditorError(f"{where}: unknown key '{key}' (known keys: {', '.join(KEYS)})")
        check, expected = KEYS[key]
        if not check(value):
            raise AuditorError(f"{where}: '{key}' must be {expected}, not {value!r}")
        settings[key] = value
    base = path.resolve().parent
    for key in PATH_KEYS:
        if key in settings:
            settings[key] = str(base / settings[key])
    if "inputs" in settings:
        settings["inputs"] = [i if i == "-" else str(base / i) for i in settings["inputs"]]
    for key, (exists, kind) in EXISTING.items():
        for value in settings.get(key, []) if key == "inputs" else [settings.get(key)]:
            if value not in (None, "-") and not exists(Path(value)):
                raise AuditorError(f"{where}: '{key}' must name {kind} that exists; {value} does not")
    if "since" in settings:
        settings["since"] = parse_date(settings["since"], f"{where}: 'since'")
    from .ruleset import finding_types

    known = finding_types()  # of the bundled suites: the same choices as --fail-on
    unknown = [t for t in settings.get("fail_on", []) if t not in known]
    if unknown:
        raise AuditorError(f"{where}: 'fail_on': unknown finding type '{unknown[0]}' (known: {', '.join(known)})")
    for name, value in settings.get("tolerances", {}).items():
        if name not in TOLERANCES:
            raise AuditorError(f"{where}: unknown tolerance '{name}' (known: {', '.join(TOLERANCES)})")
        check, expected = TOLERANCES[name]
        if not check(value):
            raise AuditorError(f"{where}: tolerance '{name}' must be {expected}, not {value!r}")
    return settings


def parse_date(value: date | str, what: str = "--since") -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise AuditorError(f"{what}: '{value}' is not a date (YYYY-MM-DD)") from None


def _tool_table(data: dict, path: Path) -> dict | None:
    """pyproject.toml's [tool.auditor] table, None when it has none."""
    table = data.get("tool", {})
    table = table.get("auditor") if isinstance(table, dict) else None
    if table is not None and not isinstance(table, dict):
        raise AuditorError(f"{path}: [tool.auditor] must be a table, not {table!r}")
    return table


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _read_toml(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise AuditorError(f"{path}: invalid TOML ({exc})") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise AuditorError(f"{path}: cannot read ({exc})") from None
