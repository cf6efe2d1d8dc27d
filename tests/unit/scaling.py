"""Time as a ratio: how much longer 10× the input takes, so that a shared, slow or busy
machine does not decide whether a test passes. Linear work gives ~10; quadratic ~100."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

TENFOLD_BOUND = 25  # generous for linear (~10, plus noise), far under quadratic (~100)


def best_time(work: Callable[[], object], runs: int = 3) -> float:
    """The fastest of `runs` runs: noise only ever adds time. The cycle collector is kept
    out of the timing (it runs at moments that depend on earlier tests)."""
    best = float("inf")
    for _ in range(runs):
        gc.collect()
        gc.disable()
        try:
            began = time.perf_counter()
            work()
            best = min(best, time.perf_counter() - began)
        finally:
            gc.enable()
    return best


def tenfold_ratio(make: Callable[[int], Callable[[], object]], small: int, runs: int = 3) -> float:
    """Time of `make(10 * small)`'s work over the time of `make(small)`'s."""
    little = make(small)
    large = make(10 * small)
    return best_time(large, runs) / best_time(little, runs)
