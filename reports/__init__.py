"""The report templates and static assets: data, shipped inside the package as auditor.reports (this
file only makes the folder importable for importlib.resources)."""
