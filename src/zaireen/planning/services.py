"""Writes of the planning app: the ministry's Hijri month offsets for Iraq's moon sighting."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zaireen.core.audit import audit_record, diff
from zaireen.core.errors import ValidationFailed
from zaireen.core.permissions import assert_role
from zaireen.core.roles import Role
from zaireen.planning import hijri
from zaireen.planning.events import OffsetChange, offsets_changed
from zaireen.planning.models import HijriMonthOffset

MAX_REASON = 2000
AUDIT_ACTION = "zaireen.hijri.offset.set"
# PostgreSQL advisory lock key of the offset table (any constant; "HIJR" in ASCII).
_OFFSET_TABLE_LOCK = 0x48494A52


def month_field(year: int, month: int) -> str:
    """The field name of one month in a table of changes ("1448-02"), as errors name it."""
    return f"{year:04d}-{month:02d}"


def _month_label(year: int, month: int) -> str:
    return f"{hijri.month_name(month)} {year}"


def _lock_offset_table() -> None:
    """Serialise writers of the offset table: the check below reads the whole table, so two
    officers setting neighbouring months at once could each pass it and together break it.

    SQLite already runs one writer at a time (IMMEDIATE transactions); on PostgreSQL new rows
    cannot be locked with SELECT … FOR UPDATE, so an advisory lock stands for the table, held to
    the end of the transaction and waited for at most 3 s.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '3s'")
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_OFFSET_TABLE_LOCK])


def _check_change(year: Any, month: Any, days: Any) -> dict[str, str]:
    """Field errors of one requested change, keyed "year", "month", "days"."""
    errors: dict[str, str] = {}
    if isinstance(year, bool) or not isinstance(year, int):
        errors["year"] = _("enter the Hijri year as a whole number")
    elif not hijri.MIN_YEAR <= year <= hijri.MAX_YEAR:
        errors["year"] = _("the calendar covers Hijri years %(low)d to %(high)d") % {
            "low": hijri.MIN_YEAR,
            "high": hijri.MAX_YEAR,
        }
    if isinstance(month, bool) or not isinstance(month, int) or not 1 <= month <= 12:
        errors["month"] = _("choose a Hijri month from 1 to 12")
    if isinstance(days, bool) or not isinstance(days, int):
        errors["days"] = _("enter the offset as a whole number of days")
    elif abs(days) > hijri.MAX_OFFSET_DAYS:
        errors["days"] = _("an offset is at most %(n)d days either way") % {
            "n": hijri.MAX_OFFSET_DAYS
        }
    return errors


def _problem_reason(problem: hijri.OffsetProblem, table: Mapping[tuple[int, int], int]) -> str:
    """`check_offsets`' finding, in the user's language, saying which month to set."""
    year, month = problem.year, problem.month
    try:
        length = hijri.month_length(year, month, table)
    except ValueError:
        return problem.reason
    if length < 29:
        after_year, after_month = (year + 1, 1) if month == 12 else (year, month + 1)
        return _(
            "%(month)s would last %(n)d days. Iraq's %(next)s then probably began later than "
            "Umm al-Qura's too: set the offset of %(next)s as well."
        ) % {
            "month": _month_label(year, month),
            "n": length,
            "next": _month_label(after_year, after_month),
        }
    if length > 30:
        return _(
            "%(month)s would last %(n)d days: its own offset is probably missing or too "
            "small; set the offset of %(month)s as well."
        ) % {"month": _month_label(year, month), "n": length}
    return problem.reason


def _changed_days(
    key: tuple[int, int], before: Mapping[tuple[int, int], int], after: Mapping
) -> OffsetChange:
    year, month = key
    following = (year + 1, 1) if month == 12 else (year, month + 1)
    first = min(hijri.month_start(year, month, before), hijri.month_start(year, month, after))
    end = max(hijri.month_start(*following, before), hijri.month_start(*following, after))
    return OffsetChange(
        year=year,
        month=month,
        old_days=before.get(key, 0),
        new_days=after.get(key, 0),
        first_day=first,
        last_day=end - dt.timedelta(days=1),
    )


def hijri_offsets_set(
    *, actor: Any, changes: Mapping[tuple[int, int], int], reason: str
) -> list[HijriMonthOffset]:
    """Set the offsets of one or more Hijri months at once, with the officer's reason.

    `changes` maps (hijri_year, hijri_month) to days. Some tables can only be reached by
    changing neighbouring months together (an offset shortens the month before it), hence
    the mapping. The whole resulting table must pass `hijri.check_offsets`; otherwise nothing
    is saved and `ValidationFailed` names each impossible month by `month_field` ("1448-03")
    and says which offset to add. A month whose offset is already the requested one is left
    alone. Each saved month is audited; each month whose offset really changed is announced
    to `events.on_offsets_changed` subscribers after commit.

    Returns the saved rows (changed or newly created), by month.
    """
    assert_role(actor, Role.MINISTRY_OFFICER)
    reason = (reason or "").strip()
    errors: dict[str, list[str]] = {}
    if not reason:
        errors["reason"] = [_("say why: the moon sighting announced, by whom")]
    elif len(reason) > MAX_REASON:
        errors["reason"] = [_("at most %(n)d characters") % {"n": MAX_REASON}]
    if not changes:
        errors["__all__"] = [_("change the offset of at least one month")]
    for key, days in changes.items():
        year, month = key
        for problem in _check_change(year, month, days).values():
            numbers = all(isinstance(n, int) for n in (year, month))
            field = month_field(year, month) if numbers else "__all__"
            errors.setdefault(field, []).append(problem)
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        _lock_offset_table()
        rows = {row.key: row for row in HijriMonthOffset.objects.select_for_update()}
        before = {key: row.days for key, row in rows.items()}
        after = {**before, **changes}
        problems = hijri.check_offsets(after)
        if problems:
            raise ValidationFailed(
                {month_field(p.year, p.month): [_problem_reason(p, after)] for p in problems}
            )
        now = timezone.now()
        saved: list[HijriMonthOffset] = []
        announced: list[OffsetChange] = []
        for key in sorted(changes):
            row, days = rows.get(key), changes[key]
            if row is not None and row.days == days:
                continue
            old = row.days if row is not None else None
            if row is None:
                row = HijriMonthOffset(hijri_year=key[0], hijri_month=key[1])
            row.days, row.reason, row.set_by, row.set_at = days, reason, actor, now
            row.save()
            audit_record(
                actor=actor,
                action=AUDIT_ACTION,
                obj=row,
                changes=diff({"days": old}, {"days": days}),
                reason=reason,
            )
            saved.append(row)
            if (old or 0) != days:
                announced.append(_changed_days(key, before, after))
        offsets_changed(announced)
    return saved


def hijri_offset_set(
    *, actor: Any, year: int, month: int, days: int, reason: str
) -> HijriMonthOffset:
    """Set one month's offset (the API's and the simplest use of `hijri_offsets_set`).

    Field errors name "year", "month", "days" or "reason"; a table the change would make
    impossible is reported on "days", saying which other month to set first or together
    (through `hijri_offsets_set`).
    """
    assert_role(actor, Role.MINISTRY_OFFICER)
    errors = {field: [message] for field, message in _check_change(year, month, days).items()}
    if errors:
        if not (reason or "").strip():
            errors["reason"] = [_("say why: the moon sighting announced, by whom")]
        raise ValidationFailed(errors)
    try:
        saved = hijri_offsets_set(actor=actor, changes={(year, month): days}, reason=reason)
    except ValidationFailed as exc:
        remapped: dict[str, list[str]] = {}
        for field, reasons in exc.errors.items():
            target = field if field in {"reason", "__all__"} else "days"
            remapped.setdefault(target, []).extend(reasons)
        raise ValidationFailed(remapped) from None
    if saved:
        return saved[0]
    return HijriMonthOffset.objects.select_related("set_by").get(hijri_year=year, hijri_month=month)
