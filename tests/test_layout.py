"""The layout keeps what docs/DESIGN.md says of it: the state layer below every stage, shared names
public, every module placed in the architecture page."""

import ast
import re
from pathlib import Path


REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "auditor"
STAGES = {"ingest", "extract", "align", "check", "report"}


def _imports(path: Path):
    return [node for node in ast.walk(ast.parse(path.read_text())) if isinstance(node, ast.ImportFrom)]


def test_the_state_layer_imports_no_stage():
    """state/ is below every stage: it stores plain tables and dicts, and names no stage's types."""
    for path in (PACKAGE / "state").glob("*.py"):
        for node in _imports(path):
            if node.level >= 2:
                assert (node.module or "").split(".")[0] not in STAGES, f"{path.name} imports {node.module}"


def test_no_private_name_is_imported_from_another_module():
    """A name shared between modules is public (no leading underscore): one home, used openly."""
    for path in PACKAGE.rglob("*.py"):
        for node in _imports(path):
            private = [a.name for a in node.names if a.name.startswith("_") and not a.name.startswith("__")]
            assert not private, f"{path.relative_to(PACKAGE)} imports {private} from {node.module}"


def test_design_page_places_every_subpackage_and_top_level_module():
    design = (REPO / "docs" / "DESIGN.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`([a-z_]+)(?:\.py|/)?`", design)) | set(re.findall(r"auditor/([a-z_]+)", design))
    modules = {p.stem for p in PACKAGE.glob("*.py") if not p.stem.startswith("_")}
    packages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file() and p.name not in ("rules", "reports")}
    missing = sorted((modules | packages) - named)
    assert not missing, f"docs/DESIGN.md does not place: {missing}"
