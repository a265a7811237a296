"""The bundled data: the top-level rules/ and reports/ folders ship inside the wheel as the
packages ``auditor.rules`` and ``auditor.reports`` (see pyproject.toml), found here through
importlib.resources, the same way in an editable checkout, an installed wheel or a pipx venv."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def _bundled(package: str) -> Path:
    return Path(str(files(package)))


BUNDLED_RULES_DIR = _bundled("auditor.rules")
REPORTS_DIR = _bundled("auditor.reports")


def read_yaml(path: Path):
    """A YAML file, parsed by libyaml when PyYAML was built with it (the rules load about ten times
    faster, which is most of ``auditor extract``'s start-up), else by PyYAML's Python parser."""
    import yaml

    return yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
