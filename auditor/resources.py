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
