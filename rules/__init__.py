"""The bundled rules: data, shipped inside the package as auditor.rules (this file only makes the
folder importable for importlib.resources; nothing here is code)."""
