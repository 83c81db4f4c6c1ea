"""Missing-person cases and their timelines (docs/cases.md).

A case is about one trip member and belongs to the member's organiser. Its state moves along
`TRANSITIONS` only; every step, note and reminder is a `CaseEvent` with who, when and a note.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

POLE_COUNT = 1452  # the Najaf–Karbala gazetteer's poles (planning.poles.POLE_COUNT)


class CaseState(models.TextChoices):
    REPORTED = "reported", _("Reported")
    SEARCHING = "searching", _("Searching")
    ESCALATED = "escalated", _("Escalated to the consulate")
    FOUND = "found", _("Found")
    HOSPITAL = "hospital", _("In hospital")
    DETAINED = "detained", _("Detained")
    DECEASED = "deceased", _("Deceased")
    CLOSED = "closed", _("Closed")


S = CaseState
# Where a case may go from each state. Closing a case that was only reported means it was
# opened by mistake (the person turned up); otherwise a case is closed once resolved.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.REPORTED: (S.SEARCHING, S.ESCALATED, S.FOUND, S.CLOSED),
    S.SEARCHING: (S.ESCALATED, S.FOUND, S.HOSPITAL, S.DETAINED, S.DECEASED),
    S.ESCALATED: (S.FOUND, S.HOSPITAL, S.DETAINED, S.DECEASED),
    S.FOUND: (S.CLOSED,),
    S.HOSPITAL: (S.FOUND, S.DECEASED, S.CLOSED),
    S.DETAINED: (S.FOUND, S.CLOSED),
    S.DECEASED: (S.CLOSED,),
    S.CLOSED: (),
}
# States in which the person is still being looked for: reminders run in these.
SEARCH_STATES = (S.REPORTED, S.SEARCHING, S.ESCALATED)
# Steps that need a note saying what happened.
NOTE_REQUIRED = (S.HOSPITAL, S.DETAINED, S.DECEASED, S.CLOSED)


class Case(models.Model):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    organiser = models.ForeignKey(
        "organizers.Organiser", verbose_name=_("organiser"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    trip = models.ForeignKey(
        "trips.Trip", verbose_name=_("trip"), on_delete=models.PROTECT, related_name="+"
    )
    member = models.ForeignKey(
        "trips.Member", verbose_name=_("member"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(
        _("state"), max_length=10, choices=CaseState.choices, default=CaseState.REPORTED
    )
    # The closed headcount the case came from (through a leader's request); None: by hand.
    headcount = models.ForeignKey(
        "safety.Headcount", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A UUID the opening client made, so a phone re-sending its request opens one case.
    request_uid = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    last_seen_place = models.CharField(_("last seen at"), max_length=200, blank=True)
    last_seen_at = models.DateTimeField(_("last seen"), null=True, blank=True)
    pole = models.PositiveSmallIntegerField(
        _("pole on the Najaf–Karbala road"), null=True, blank=True
    )
    description = models.TextField(_("description (clothes, looks, language)"), blank=True)
    needs = models.TextField(_("needs (medicine, wheelchair, …)"), blank=True)
    phone = models.CharField(_("the person's phone"), max_length=20, blank=True)
    tell_next_of_kin = models.BooleanField(_("tell the next of kin"), default=False)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True)
    # The last step or note (not reminders): what "an hour without an update" counts from.
    updated_at = models.DateTimeField(_("last update"))
    reminded_at = models.DateTimeField(_("last reminder"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    objects = ScopedManager(organiser="organiser")

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("missing-person case")
        verbose_name_plural = _("missing-person cases")
        constraints = [
            models.CheckConstraint(
                condition=Q(pole__isnull=True) | Q(pole__gte=1, pole__lte=POLE_COUNT),
                name="cases_pole_on_the_road",
            ),
            models.CheckConstraint(
                condition=(Q(state="closed") & Q(closed_at__isnull=False))
                | (~Q(state="closed") & Q(closed_at__isnull=True)),
                name="cases_closed_iff_closed_at",
            ),
            # One open case per member: a second report of the same person joins the first.
            models.UniqueConstraint(
                fields=["member"], condition=~Q(state="closed"), name="cases_one_open_per_member"
            ),
        ]
        indexes = [
            models.Index(fields=["organiser", "state"]),
            models.Index(fields=["state", "updated_at"]),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.state != CaseState.CLOSED


class EventKind(models.TextChoices):
    OPENED = "opened", _("Opened")
    STATE = "state", _("State changed")
    NOTE = "note", _("Note")
    REMINDER = "reminder", _("Reminder sent")
    KIN = "kin", _("Next of kin setting")


class CaseEvent(models.Model):
    """One entry of a case's timeline. Append-only."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    organiser = models.ForeignKey(
        "organizers.Organiser", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=EventKind.choices)
    from_state = models.CharField(max_length=10, choices=CaseState.choices, blank=True)
    to_state = models.CharField(max_length=10, choices=CaseState.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    pole = models.PositiveSmallIntegerField(null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    at = models.DateTimeField(_("when"), auto_now_add=True)
    # A UUID the client made, so a re-sent update is applied once.
    request_uid = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    # The leader's request (safety) this entry took over: each request is consumed once.
    case_request = models.OneToOneField(
        "safety.CaseRequest", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="case_event",
    )  # fmt: skip

    objects = ScopedManager(organiser="organiser")

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.kind} {self.to_state}"
