"""Background work of the itineraries app."""

from __future__ import annotations

import datetime as dt

from zaireen.core.jobs import job_task


@job_task()
def itineraries_recheck_task(progress, first: str, last: str) -> dict:
    """Re-check the saved plans touching `first`..`last` (ISO dates)."""
    from zaireen.itineraries.services import itineraries_recheck

    progress(0, message="Re-checking itineraries")
    counts = itineraries_recheck(
        first=dt.date.fromisoformat(first), last=dt.date.fromisoformat(last)
    )
    progress(counts.get("checked", 0), counts.get("checked", 0), "Done")
    return counts
