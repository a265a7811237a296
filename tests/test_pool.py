"""The one process pool: input order, errors and overruns as values, closures without pickling."""

import os
import time

from auditor.pool import OverBudget, parallel_map


def test_results_come_in_input_order_with_errors_and_overruns_as_values():
    parent = os.getpid()

    def work(n):  # a closure: forked workers inherit it, nothing is pickled
        if n == 3:
            raise ValueError("three")
        if n == 5:
            time.sleep(30)
        return (n * 10, os.getpid() != parent)

    started = time.monotonic()
    results = list(parallel_map(work, ((n, f"item {n}") for n in range(8)), workers=2, budget=1))
    assert time.monotonic() - started < 15
    assert [item for item, _ in results] == [(n, f"item {n}") for n in range(8)]
    outcomes = dict((item[0], outcome) for item, outcome in results)
    assert isinstance(outcomes[3], ValueError) and isinstance(outcomes[5], OverBudget) and str(outcomes[5]) == "over the time budget of 1 s"
    assert all(outcomes[n] == (n * 10, True) for n in (0, 1, 2, 4, 6, 7))  # every call ran in a worker


def test_warm_up_runs_here_before_the_workers_fork():
    loaded = []
    results = list(parallel_map(lambda n: len(loaded), [(1,), (2,)], workers=1, warm_up=lambda: loaded.append("tables")))
    assert [r for _, r in results] == [1, 1] and loaded == ["tables"]


def test_no_items_start_no_pool():
    assert list(parallel_map(lambda n: n, [], workers=2, warm_up=lambda: 1 / 0)) == []
