"""Load and validate everything under rules/: extraction word lists and tables, the taxonomy,
judgement settings, expectation suites and their cases.

Rules are data. Every file is validated against its schema (auditor/schemas.py) when it is
loaded, and a malformed file fails with a RulesError that names the file, the key and the
line: invalid YAML, an unknown key, a value of the wrong type, an unknown expectation type, bad
expectation arguments, a column no stage computes, or a check id declared twice. Loading builds the Great
Expectations suites, so the (slow) great_expectations import happens here, never at CLI
start-up.
"""

from __future__ import annotations

from functools import lru_cache

import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .columns import ALIGN_COLUMNS, CHECK_COLUMNS, CLAIM_COLUMNS
from .errors import RulesError
from .schemas import JUDGEMENT_SETTINGS

from .resources import BUNDLED_RULES_DIR as DEFAULT_RULES_DIR
from .resources import read_yaml
# the rules files the extract stage reads (compiled by extract/vocabulary.py and extract/units.py)
EXTRACTION_FILES = ("extraction.yaml", "taxonomy.yaml", "units.yaml", "currencies.yaml")
JUDGEMENT_DEFAULTS = set(JUDGEMENT_SETTINGS)  # the settings config.toml [tolerances] may override
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

    def named_metrics(self) -> frozenset[str]:
        """The metrics rules/taxonomy.yaml declares (killed, troops, jobs_cut...), as opposed to
        the counted noun a figure falls back to when no metric names it."""
        return _named_metrics(str(self.directory))


@lru_cache(maxsize=8)
def _named_metrics(directory: str) -> frozenset[str]:
    return frozenset((load_rules_file(rules_file_in(directory, "taxonomy.yaml"), "taxonomy.yaml").get("metrics") or {}))


def rules_directory(directory: str | Path | None = None) -> Path:
    """The rules folder a run reads: ``directory`` (``--rules``) or the bundled rules."""
    directory = Path(directory) if directory else DEFAULT_RULES_DIR
    if not directory.is_dir():
        raise RulesError(f"rules directory not found: {directory}")
    return directory


def load_extraction_rules(directory: str | Path | None = None) -> Path:
    """Validate the files the extract stage reads (in its workers, so checked here, before any work):
    the word lists, the declared patterns and the rule packs switched on."""
    directory = rules_directory(directory)
    loaded = {name: load_rules_file(directory / name, name) for name in EXTRACTION_FILES}
    for path in rules_files_in(directory, "patterns"):
        load_rules_file(path, "patterns")
    for pack in loaded["extraction.yaml"].get("packs") or ():
        load_rules_file(pack_file_in(directory, pack), f"packs/{pack}.yaml")
    return directory


def load_rules(directory: str | Path | None = None) -> Rules:
    """Every rules file of ``directory``, validated; the judgement settings and suites, loaded."""
    directory = load_extraction_rules(directory)
    judgement = load_judgement(directory / "judgement.yaml")
    suite_dir = directory / "suites"
    paths = sorted(suite_dir.glob("*.yaml"))
    if not paths:
        raise RulesError(f"{suite_dir}: no expectation suites (*.yaml) found")
    return Rules(directory=directory, judgement=judgement, suites=[load_suite(p) for p in paths])


def load_judgement(path: Path) -> dict:
    return load_rules_file(path, "judgement.yaml")


def finding_types(directory: str | Path | None = None) -> tuple[str, ...]:
    """The finding types the suites of ``directory`` can produce (meta.finding_type), in file order:
    what --fail-on accepts. Reads the YAML only (no Great Expectations): cheap enough for CLI start-up."""
    types: dict[str, None] = {}
    for path in sorted((Path(directory) if directory else DEFAULT_RULES_DIR).glob("suites/*.yaml")):
        spec = read_yaml(path)
        for entry in ((spec.get("expectations") if isinstance(spec, dict) else None) or []):
            meta = entry.get("meta") if isinstance(entry, dict) else None
            if isinstance(meta, dict) and isinstance(meta.get("finding_type"), str):
                types.setdefault(meta["finding_type"])
    return tuple(types)


def rules_file_in(rules_dir, name: str) -> Path:
    """``name`` in the rules folder ``rules_dir`` when it has one, else the bundled one: a custom
    folder may leave out the files it does not change."""
    path = Path(rules_dir) / name if rules_dir else None
    return path if path is not None and path.is_file() else DEFAULT_RULES_DIR / name


def rules_files_in(rules_dir, folder: str) -> list[Path]:
    """The *.yaml files of ``folder`` (patterns, packs) a run reads, by name: each from the rules folder
    ``rules_dir`` when it has one, else the bundled one (as ``rules_file_in``). A custom folder adds
    files or replaces bundled ones of the same name; an empty list in a file of that name (``[]``)
    switches a bundled file of patterns off."""
    names = {p.name for p in (DEFAULT_RULES_DIR / folder).glob("*.yaml")}
    if rules_dir:
        names |= {p.name for p in (Path(rules_dir) / folder).glob("*.yaml")}
    return [rules_file_in(rules_dir, f"{folder}/{name}") for name in sorted(names)]


def pack_file_in(rules_dir, pack: str) -> Path:
    """The rules file of the rule pack ``pack``: rules/packs/PACK.yaml of ``rules_dir``, else the bundled one."""
    path = rules_file_in(rules_dir, f"packs/{pack}.yaml")
    if not path.is_file():
        where = Path(rules_dir or DEFAULT_RULES_DIR) / "extraction.yaml"
        raise RulesError(f"{where}: packs: no rules/packs/{pack}.yaml")
    return path


def load_rules_file(path: Path, kind: str):
    """One rules file, validated against the schema of its kind (a key of schemas.SCHEMAS, or a path
    under the rules folder such as "packs/casualties.yaml"): a mapping, or a list for patterns.

    Parsed by libyaml where it can be (``resources.read_yaml``: the extract stage's start-up); the
    node tree that knows the lines is built only to name the line of an error."""
    if not path.is_file():
        raise RulesError(f"{path}: file not found")
    try:
        data = read_yaml(path)
    except yaml.YAMLError:
        data = None  # load_yaml below names the line
    error = _schema_error(data, kind) if isinstance(data, _top_type(kind)) else True
    if error is not None:
        load_validated(path, kind)  # raises the RulesError, with the line
    return data


def load_validated(path: Path, kind: str):
    """(data, node) of one rules file that matches its schema; else a RulesError naming file, key and line."""
    data, node = load_yaml(path, _top_type(kind))
    error = _schema_error(data, kind, node)
    if error is not None:
        raise RulesError(_schema_message(path, node, error))
    return data, node


def _top_type(kind: str) -> type:
    from .schemas import schema_for

    return list if schema_for(kind).get("type") == "array" else dict


def _schema_error(data, kind: str, node=None):
    """The first schema error of ``data`` (an unknown key first: a misspelt key is also a missing
    one, and the misspelling is the news; then by line when the node tree is known), or None."""
    import jsonschema

    from .schemas import schema_for

    errors = list(jsonschema.Draft202012Validator(schema_for(kind)).iter_errors(data))
    line = (lambda e: _line(node, list(e.absolute_path))) if node is not None else (lambda e: 0)
    return min(errors, key=lambda e: (e.validator != "additionalProperties", line(e)), default=None)


def _schema_message(path: Path, node, error) -> str:
    keys = list(error.absolute_path)
    if error.validator == "additionalProperties":  # name the unknown key itself, on its own line
        known = set(error.schema.get("properties", {}))
        unknown = [k for k in error.instance if k not in known]
        line = _line(node, keys + unknown[:1], key=True)
        return f"{path}:{line}: unknown key '{_dotted(keys + unknown[:1])}' (known: {', '.join(sorted(known))})"
    if error.validator == "required":
        missing = next(k for k in error.validator_value if k not in error.instance)
        return f"{path}:{_line(node, keys)}: missing key '{_dotted(keys + [missing])}'"
    if error.validator == "propertyNames":
        line = _line(node, keys + [error.instance], key=True)
        return f"{path}:{line}: unknown key '{_dotted(keys + [error.instance])}' (known: {', '.join(error.validator_value.get('enum', []))})"
    return f"{path}:{_line(node, keys)}: {_dotted(keys)}: {error.message}"


def rules_line(path: Path, keys) -> int:
    """The line of the value at ``keys`` (mapping keys and list indices) in the rules file ``path``:
    for errors that a loader finds after the schema (a regex that does not compile)."""
    return _line(load_yaml(path, object)[1], list(keys))


def _dotted(keys) -> str:
    return ".".join(str(k) for k in keys)


def _line(node, keys, key: bool = False) -> int:
    """The line of the value at ``keys`` in the YAML node tree (of the key itself with ``key``)."""
    line = node.start_mark.line + 1
    for step in keys:
        if isinstance(node, yaml.MappingNode):
            pair = next(((k, v) for k, v in node.value if k.value == str(step) or _scalar(k) == step), None)
            if pair is None:
                break
            line = (pair[0] if key else pair[1]).start_mark.line + 1
            node = pair[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
            node = node.value[step]
            line = node.start_mark.line + 1
        else:
            break
    return line


def _scalar(node):
    return yaml.safe_load(node.value) if isinstance(node, yaml.ScalarNode) and node.tag.endswith(("bool", "int", "float")) else None


def load_suite(path: Path) -> Suite:
    """Parse one suite file and build its GX suite, expectation by expectation."""
    spec, node = load_validated(path, "suites")
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
    computation = meta.get("computation")
    if computation is not None and computation not in _computations():
        raise RulesError(f"{where}: unknown meta.computation '{computation}' (known: {', '.join(sorted(_computations()))})")
    kwargs = entry.get("kwargs") or {}
    column = kwargs.get("column")
    if column is not None and column not in KNOWN_COLUMNS:
        raise RulesError(f"{where}: column '{column}' is not computed by any stage")
    try:
        return expectation_class(**kwargs, meta=meta, severity=entry.get("severity", "warning"))
    except Exception as exc:  # pydantic validation errors, type errors: all mean bad arguments
        raise RulesError(f"{where}: bad arguments for {entry['type']} ({_first_error(exc)})") from None


def load_yaml(path: Path, top: type = dict):
    """(data, node): the parsed mapping (or list, with ``top=list``) and its YAML node tree, which knows the lines."""
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
    if not isinstance(data, top):
        raise RulesError(f"{path}: expected a {'list' if top is list else 'mapping'} at the top level")
    return data, node


def _child(node, key: str):
    return next(value for k, value in node.value if k.value == key)


def _first_error(exc: Exception) -> str:
    lines = [line.strip() for line in str(exc).strip().splitlines() if line.strip()]
    # pydantic puts the field on one line and the reason on the next
    return "; ".join(lines[1:3]) if len(lines) >= 3 else (lines[0] if lines else type(exc).__name__)


def _computations() -> dict:
    """The registry of what a check's failures mean (check/validate.py), named by suites' meta.computation."""
    from .check.validate import COMPUTATIONS

    return COMPUTATIONS


def _gx():
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx

    return gx
