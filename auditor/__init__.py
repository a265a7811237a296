"""auditor: audit the numbers in the news.

The pipeline, one stage a module, a table between stages:

    ingest -> documents -> extract -> claims -> align -> claims + groups
           -> check -> findings -> report

Library entry points live in :mod:`auditor.pipeline`; the CLI in :mod:`auditor.cli`
is a thin layer over them. Heavy dependencies (pandas,
great-expectations) are imported inside the stages that need them so that
``auditor --help`` stays fast.
"""

__version__ = "0.1.0"
