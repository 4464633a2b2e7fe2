"""The chunk workers: a run's chunks generated in this process or in forked ones.

Each chunk draws from its own seed (the run's seed and the chunk's number), so a run is the same
for a given seed whatever the number of processes.
"""

import multiprocessing
import os
from collections import deque
from collections.abc import Iterator

from demo.generate.history import Chunk, ChunkResult
from demo.generate.plan import Plan

PARALLEL_MIN = 50_000

_PLAN: Plan | None = None  # the run's plan, inherited by forked chunk processes


def _generate(index: int) -> ChunkResult:
    """A chunk of the current plan (in a forked process, or in this one)."""
    return Chunk(_PLAN, index).run()


def chunk_results(plan: Plan, *, processes: int | None, parallel: bool) -> Iterator[ChunkResult]:
    """The chunks' results in order: generated here, or by forked processes that inherit
    the plan while this process writes the previous ones."""
    global _PLAN
    total = -(-plan.count // plan.chunk)
    if processes is None:
        processes = (os.cpu_count() or 1) if parallel and plan.count >= PARALLEL_MIN else 1
    _PLAN = plan
    try:
        if processes <= 1 or total <= 1:
            for index in range(total):
                yield _generate(index)
            return
        # Fork: the children inherit the plan (and this process's open database
        # connection, which they never touch; multiprocessing ends them with os._exit, so
        # they do not close it either).
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            pending: deque = deque()
            submitted = 0
            while submitted < total or pending:
                # A bounded window: the children stay a little ahead of the writer.
                while submitted < total and len(pending) < 2 * processes:
                    pending.append(pool.apply_async(_generate, (submitted,)))
                    submitted += 1
                yield pending.popleft().get()
    finally:
        _PLAN = None
