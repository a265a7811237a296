"""Load and validate everything under rules/: judgement settings, metric taxonomy, suites.

Rules are data. A malformed file fails at load time with a RulesError that names the
file (and the line, when YAML can tell), so a nightly job stops before doing work
with a broken configuration.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import RulesError

DEFAULT_RULES_DIR = Path(__file__).resolve().parent.parent / "rules"


@dataclass(frozen=True)
class Rules:
    """Everything the align and check stages read from rules/."""

    directory: Path
    judgement: dict
    suites: list[dict] = field(default_factory=list)  # each: {"path": Path, "spec": dict}

    def metric_setting(self, metric: str, key: str):
        """A judgement setting, with the per-metric override when rules/judgement.yaml has one."""
        override = self.judgement.get("metrics", {}).get(metric, {}) or {}
        return override.get(key, self.judgement["defaults"][key])


def load_rules(directory: str | Path | None = None) -> Rules:
    directory = Path(directory) if directory else DEFAULT_RULES_DIR
    if not directory.is_dir():
        raise RulesError(f"rules directory not found: {directory}")
    judgement = load_yaml(directory / "judgement.yaml")
    _require_keys(judgement, directory / "judgement.yaml", "defaults")
    suite_dir = directory / "suites"
    suites = [{"path": p, "spec": load_yaml(p)} for p in sorted(suite_dir.glob("*.yaml"))]
    if not suites:
        raise RulesError(f"{suite_dir}: no expectation suites (*.yaml) found")
    for suite in suites:
        _require_keys(suite["spec"], suite["path"], "name", "expectations")
    return Rules(directory=directory, judgement=judgement, suites=suites)


def load_yaml(path: Path) -> dict:
    if not path.is_file():
        raise RulesError(f"{path}: file not found")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise RulesError(f"{where}: invalid YAML ({getattr(exc, 'problem', None) or exc})") from None
    if not isinstance(data, dict):
        raise RulesError(f"{path}: expected a mapping at the top level")
    return data


def _require_keys(data: dict, path: Path, *keys: str) -> None:
    missing = [k for k in keys if k not in data]
    if missing:
        raise RulesError(f"{path}: missing required key(s): {', '.join(missing)}")
