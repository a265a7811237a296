"""The one process pool: run a function over many items in worker processes, each call under a
time budget, results in input order.

pebble's ProcessPool kills a worker whose call runs past its budget and starts a fresh one, so
one hostile document (a 300 KB list of numbers) costs at most the budget and never stalls the
batch. Workers are forked after ``warm_up`` ran here, so whatever the function loads lazily
(rules, tables) is loaded once and inherited. At most a few calls per worker are in flight, so
input is read only as fast as the workers go and memory stays flat.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import TimeoutError as FutureTimeout

PR_SET_PDEATHSIG = 1  # linux/prctl.h
IN_FLIGHT_PER_WORKER = 4


class OverBudget(Exception):
    """A call ran past its time budget; its worker was killed."""

    def __init__(self, seconds: float):
        super().__init__(f"over the time budget of {seconds:g} s")
        self.seconds = seconds


def parallel_map(
    fn: Callable, items: Iterable[tuple], workers: int | None = None, *, budget: float | None = None,
    warm_up: Callable[[], object] | None = None,
) -> Iterator[tuple]:
    """Yield ``(item, fn(item[0]))`` in input order; the result is the exception when the call
    raised, or :class:`OverBudget` when it ran past ``budget`` seconds (None: no limit).

    ``workers`` defaults to one per core. Every call runs in a worker process, a single
    worker too: only a process can be stopped when a call overruns.
    """
    from pebble import ProcessPool

    items = iter(items)
    first = next(items, None)
    if first is None:
        return
    if warm_up is not None:
        warm_up()
    workers = workers or os.cpu_count() or 1
    context = _fork_context()
    if context is not multiprocessing:  # forked workers inherit fn: closures and lambdas need no pickling
        _INHERITED[os.getpid()] = fn
        fn = _call_inherited
    try:
        with ProcessPool(workers, initializer=_die_with_parent, initargs=(os.getpid(),), context=context) as pool:
            pending: deque = deque()
            for item in _chain(first, items):
                pending.append((item, pool.schedule(fn, args=(item[0],), timeout=budget)))
                if len(pending) >= IN_FLIGHT_PER_WORKER * workers:
                    item, future = pending.popleft()
                    yield item, _outcome(future, budget)
            while pending:
                item, future = pending.popleft()
                yield item, _outcome(future, budget)
    finally:
        _INHERITED.pop(os.getpid(), None)


_INHERITED: dict[int, Callable] = {}  # pid of the process that forked the pool -> the function to run


def _call_inherited(arg):
    return _INHERITED[os.getppid()](arg)


def _chain(first, rest):
    yield first
    yield from rest


def _fork_context():
    """Fork where there is fork (workers inherit the warmed-up tables); the platform default elsewhere."""
    return multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else multiprocessing


def _outcome(future, budget: float | None):
    try:
        return future.result()
    except FutureTimeout:
        return OverBudget(budget)
    except Exception as exc:
        return exc


def _die_with_parent(parent: int) -> None:
    """Worker start: have the kernel kill this worker when the run dies.

    Otherwise a killed run leaves its workers waiting forever, and since they were
    forked while the run held the state lock, they would hold it too and refuse
    every later run. Linux only (prctl); elsewhere workers outlive a killed run.
    """
    import ctypes

    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the run died before prctl took effect
        os._exit(1)
