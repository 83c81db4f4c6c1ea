"""HiGHS instances that print nothing.

The HiGHS library writes its banner to the process's standard output the first time a solver is
made, before any option can switch logging off. The CLI writes JSON to standard output, so the
banner is sent to /dev/null once, at the file-descriptor level.
"""

from __future__ import annotations

import os
import sys
import threading

import highspy

_lock = threading.Lock()
_banner_done = False
INF = highspy.kHighsInf


def _start_scheduler() -> None:
    """Solve a one-variable LP once: HiGHS sets up its thread scheduler on the first run, and
    `crossover` called before any run crashes the process (HiGHS 1.16)."""
    warm = highspy.Highs()
    warm.setOptionValue("output_flag", False)
    warm.setOptionValue("threads", 1)
    warm.addVar(0.0, 1.0)
    warm.run()


def quiet_highs(*, threads: int = 1, time_limit: float | None = None) -> highspy.Highs:
    """A Highs object with logging off; one thread unless asked (the machine is shared)."""
    global _banner_done
    with _lock:
        if not _banner_done:
            sys.stdout.flush()
            saved = os.dup(1)
            devnull = os.open(os.devnull, os.O_WRONLY)
            try:
                os.dup2(devnull, 1)
                highs = highspy.Highs()
                _start_scheduler()
            finally:
                os.dup2(saved, 1)
                os.close(saved)
                os.close(devnull)
            _banner_done = True
        else:
            highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("threads", threads)
    if time_limit is not None:
        highs.setOptionValue("time_limit", max(float(time_limit), 0.01))
    return highs
