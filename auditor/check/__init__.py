"""Check stage: aligned claims -> findings, validated with the Great Expectations suites of rules/
(``validate``), against reference figures (``reference``); ``cases`` runs the rules' own examples."""

from .validate import CheckResult, check_claims

__all__ = ["CheckResult", "check_claims"]
