"""What every benchmark script needs: the machine it ran on, latency percentiles, peak memory,
and a PostgreSQL database of its own. The scripts run as `python bench/<name>.py`, which puts this
folder first on the import path."""

from __future__ import annotations

import os
import platform
import resource
import statistics
import subprocess
from urllib.parse import urlsplit, urlunsplit


def machine() -> dict:
    """Cores, CPU model and Python version, printed beside every figure."""
    model = ""
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout  # noqa: S607
        model = next(
            (
                line.split(":", 1)[1].strip()
                for line in out.splitlines()
                if line.startswith("Model name")
            ),
            "",
        )
    except OSError:
        pass
    return {
        "nproc": os.cpu_count(),
        "cpu": model or platform.processor(),
        "python": platform.python_version(),
    }


def percentiles(values: list[float]) -> dict:
    """Count, nearest-rank p50/p95/p99, max and mean of timings in milliseconds."""
    if not values:
        return {"n": 0}
    ordered = sorted(values)

    def at(share: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))], 1)

    return {
        "n": len(values),
        "p50_ms": at(0.5),
        "p95_ms": at(0.95),
        "p99_ms": at(0.99),
        "max_ms": round(ordered[-1], 1),
        "mean_ms": round(statistics.fmean(values), 1),
    }


def peak_memory_mb() -> float:
    """The most memory this process has held so far (its peak resident set), in MB."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def postgres_database(url: str, *, create: bool) -> None:
    """Drop the database named in `url` (closing its connections), then create it afresh
    when `create`."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create:
            conn.execute(f'CREATE DATABASE "{name}"')
