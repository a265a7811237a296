"""Load and validate everything under rules/: judgement settings and expectation suites.

Rules are data. A malformed file fails at load time with a RulesError that names the file
and the line: invalid YAML, an unknown setting, an unknown expectation type, bad expectation
arguments, a column no stage computes, or a check without an id. Loading builds the Great
Expectations suites, so the (slow) great_expectations import happens here, never at CLI
start-up.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .columns import ALIGN_COLUMNS, CHECK_COLUMNS, CLAIM_COLUMNS
from .errors import RulesError

from .resources import BUNDLED_RULES_DIR as DEFAULT_RULES_DIR
JUDGEMENT_SECTIONS = {"defaults", "metrics", "alignment", "stories", "plausibility"}
JUDGEMENT_DEFAULTS = {"approx_tolerance", "honour_rounding", "cumulative"}
GROUPINGS = ("group", "claim", "story_metric")  # what one finding gathers (meta.group_by)
KNOWN_COLUMNS = set(CLAIM_COLUMNS) | set(ALIGN_COLUMNS) | set(CHECK_COLUMNS)


@dataclass(frozen=True)
class Suite:
    """One rules/suites/*.yaml file: its GX suite and, per check id, the line that declares it."""

    path: Path
    name: str
    gx_suite: object
    lines: dict = field(default_factory=dict)  # check_id -> line number
    spec: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Rules:
    """Everything the align and check stages read from rules/."""

    directory: Path
    judgement: dict
    suites: list[Suite] = field(default_factory=list)

    def metric_setting(self, metric: str, key: str):
        """A judgement setting, with the per-metric override when rules/judgement.yaml has one."""
        override = self.judgement.get("metrics", {}).get(metric, {}) or {}
        return override.get(key, self.judgement["defaults"][key])

    def cumulative_metrics(self) -> set[str]:
        return {m for m in self.judgement.get("metrics", {}) if self.metric_setting(m, "cumulative")}


def load_rules(directory: str | Path | None = None) -> Rules:
    directory = Path(directory) if directory else DEFAULT_RULES_DIR
    if not directory.is_dir():
        raise RulesError(f"rules directory not found: {directory}")
    judgement = load_judgement(directory / "judgement.yaml")
    suite_dir = directory / "suites"
    paths = sorted(suite_dir.glob("*.yaml"))
    if not paths:
        raise RulesError(f"{suite_dir}: no expectation suites (*.yaml) found")
    return Rules(directory=directory, judgement=judgement, suites=[load_suite(p) for p in paths])


def load_judgement(path: Path) -> dict:
    data, node = load_yaml(path)
    _require_keys(data, path, "defaults")
    for key in data:
        if key not in JUDGEMENT_SECTIONS:
            raise RulesError(f"{_where(path, node, key)}: unknown section '{key}' (known: {', '.join(sorted(JUDGEMENT_SECTIONS))})")
    unknown = set(data["defaults"] or {}) ^ JUDGEMENT_DEFAULTS
    for metric, settings in (data.get("metrics") or {}).items():
        unknown |= set(settings or {}) - JUDGEMENT_DEFAULTS
    if unknown:
        raise RulesError(f"{path}: unknown or missing judgement setting(s): {', '.join(sorted(unknown))}")
    return data


def load_suite(path: Path) -> Suite:
    """Parse one suite file and build its GX suite, expectation by expectation."""
    spec, node = load_yaml(path)
    _require_keys(spec, path, "name", "expectations")
    declared = spec["expectations"] or []
    item_nodes = _child(node, "expectations").value if declared else []
    expectations, lines = [], {}
    for entry, item in zip(declared, item_nodes):
        line = item.start_mark.line + 1
        expectations.append(build_expectation(entry, f"{path}:{line}"))
        check_id = entry["meta"]["check_id"]
        if check_id in lines:
            raise RulesError(f"{path}:{line}: check_id '{check_id}' already declared on line {lines[check_id]}")
        lines[check_id] = line
    suite = _gx().ExpectationSuite(name=str(spec["name"]), expectations=expectations)
    return Suite(path=path, name=str(spec["name"]), gx_suite=suite, lines=lines, spec=spec)


def build_expectation(entry, where: str):
    """One GX expectation from its YAML mapping; anything wrong is a RulesError at `where`."""
    if not isinstance(entry, dict) or "type" not in entry:
        raise RulesError(f"{where}: an expectation needs a `type`")
    _gx()
    from great_expectations.exceptions import ExpectationNotFoundError
    from great_expectations.expectations.registry import get_expectation_impl

    try:
        expectation_class = get_expectation_impl(str(entry["type"]))
    except ExpectationNotFoundError:
        raise RulesError(f"{where}: unknown expectation type '{entry['type']}'") from None
    meta = entry.get("meta") or {}
    if not meta.get("check_id") or not meta.get("finding_type"):
        raise RulesError(f"{where}: meta needs a check_id and a finding_type")
    if meta.get("group_by", "group") not in GROUPINGS:
        raise RulesError(f"{where}: meta.group_by must be one of {', '.join(GROUPINGS)}")
    kwargs = entry.get("kwargs") or {}
    column = kwargs.get("column")
    if column is not None and column not in KNOWN_COLUMNS:
        raise RulesError(f"{where}: column '{column}' is not computed by any stage")
    try:
        return expectation_class(**kwargs, meta=meta, severity=entry.get("severity", "warning"))
    except Exception as exc:  # pydantic validation errors, type errors: all mean bad arguments
        raise RulesError(f"{where}: bad arguments for {entry['type']} ({_first_error(exc)})") from None


def load_yaml(path: Path):
    """(data, node): the parsed mapping and its YAML node tree, which knows the lines."""
    if not path.is_file():
        raise RulesError(f"{path}: file not found")
    text = path.read_text(encoding="utf-8")
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise RulesError(f"{where}: invalid YAML ({getattr(exc, 'problem', None) or exc})") from None
    if not isinstance(data, dict):
        raise RulesError(f"{path}: expected a mapping at the top level")
    return data, node


def _child(node, key: str):
    return next(value for k, value in node.value if k.value == key)


def _where(path: Path, node, key: str) -> str:
    key_node = next((k for k, _ in node.value if k.value == key), None)
    return f"{path}:{key_node.start_mark.line + 1}" if key_node is not None else str(path)


def _require_keys(data: dict, path: Path, *keys: str) -> None:
    missing = [k for k in keys if k not in data]
    if missing:
        raise RulesError(f"{path}: missing required key(s): {', '.join(missing)}")


def _first_error(exc: Exception) -> str:
    lines = [line.strip() for line in str(exc).strip().splitlines() if line.strip()]
    # pydantic puts the field on one line and the reason on the next
    return "; ".join(lines[1:3]) if len(lines) >= 3 else (lines[0] if lines else type(exc).__name__)


def _gx():
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx

    return gx
