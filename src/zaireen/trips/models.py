"""Trips (groups, caravans) and their members: what an organiser sells and the ministry approves."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class TripStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    DEPARTED = "departed", _("Departed")
    RETURNED = "returned", _("Returned")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


# Statuses in which a trip's memberships reserve their people.
RESERVING = (TripStatus.SUBMITTED, TripStatus.APPROVED, TripStatus.DEPARTED, TripStatus.RETURNED)


class Trip(models.Model):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organiser = models.ForeignKey(
        "organizers.Organiser",
        verbose_name=_("organiser"),
        on_delete=models.PROTECT,
        related_name="trips",
    )
    code = models.CharField(_("code"), max_length=30)
    title = models.CharField(_("title"), max_length=200)
    departure_date = models.DateField(_("departure"))
    return_date = models.DateField(_("return"))
    outbound_from = models.ForeignKey(
        "places.Airport",
        verbose_name=_("flies out from"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    outbound_to = models.ForeignKey(
        "places.Airport",
        verbose_name=_("lands in Iraq at"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    outbound_flight = models.CharField(_("outbound flight"), max_length=20, blank=True)
    return_from = models.ForeignKey(
        "places.Airport",
        verbose_name=_("flies home from"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    return_to = models.ForeignKey(
        "places.Airport",
        verbose_name=_("lands home at"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    return_flight = models.CharField(_("return flight"), max_length=20, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"))
    price_pkr = models.PositiveIntegerField(_("package price (PKR)"))
    status = models.CharField(
        _("status"), max_length=10, choices=TripStatus.choices, default=TripStatus.DRAFT
    )
    status_reason = models.TextField(_("reason for the status"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedManager(organiser="organiser")

    class Meta:
        ordering = ["-departure_date", "code"]
        verbose_name = _("trip")
        verbose_name_plural = _("trips")
        constraints = [
            models.UniqueConstraint(fields=["organiser", "code"], name="trips_code_unique"),
            models.CheckConstraint(
                condition=Q(return_date__gte=F("departure_date")), name="trips_dates_ordered"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="trips_capacity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class TripHotel(models.Model):
    trip = models.ForeignKey(Trip, on_delete=models.CASCADE, related_name="hotels")
    city = models.ForeignKey("places.City", verbose_name=_("city"), on_delete=models.PROTECT)
    name = models.CharField(_("hotel"), max_length=200)
    nights = models.PositiveSmallIntegerField(_("nights"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(nights__gte=1), name="trips_hotel_nights")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.city}, {self.nights})"


class TripEvent(models.Model):
    """A change of a trip's status: who, when, why."""

    trip = models.ForeignKey(Trip, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=10, choices=TripStatus.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=TripStatus.choices)
    reason = models.TextField(blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.trip_id}: {self.from_status} → {self.to_status}"


class MemberRole(models.TextChoices):
    PILGRIM = "pilgrim", _("Pilgrim")
    LEADER = "leader", _("Leader")
    DEPUTY = "deputy", _("Deputy leader")
    MEDIC = "medic", _("Medic")


LEADING_ROLES = (MemberRole.LEADER, MemberRole.DEPUTY)


class VisaStatus(models.TextChoices):
    NOT_APPLIED = "not_applied", _("Not applied")
    APPLIED = "applied", _("Applied")
    ISSUED = "issued", _("Issued")
    REFUSED = "refused", _("Refused")


class ReturnMethod(models.TextChoices):
    HEADCOUNT = "headcount", _("Return headcount")
    LATER = "later", _("Recorded later by the organiser")
    OFFICER = "officer", _("Recorded by an officer")


class Member(models.Model):
    """A pilgrim profile on a trip. `active` while the membership reserves the person: from
    the trip's submission until the member's return is recorded or the trip is cancelled."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    trip = models.ForeignKey(Trip, on_delete=models.CASCADE, related_name="members")
    organiser = models.ForeignKey(
        "organizers.Organiser", on_delete=models.PROTECT, related_name="+"
    )
    profile = models.ForeignKey(
        "pilgrims.PilgrimProfile",
        verbose_name=_("pilgrim"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    person = models.ForeignKey(
        "pilgrims.Person", on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(
        _("role"), max_length=10, choices=MemberRole.choices, default=MemberRole.PILGRIM
    )
    visa_status = models.CharField(
        _("visa"), max_length=12, choices=VisaStatus.choices, default=VisaStatus.NOT_APPLIED
    )
    visa_number = models.CharField(_("visa number"), max_length=40, blank=True)
    visa_valid_from = models.DateField(_("visa valid from"), null=True, blank=True)
    visa_valid_until = models.DateField(_("visa valid until"), null=True, blank=True)
    active = models.BooleanField(_("reserves the person"), default=False)
    returned_at = models.DateTimeField(_("returned"), null=True, blank=True)
    return_method = models.CharField(
        _("return recorded by"), max_length=10, choices=ReturnMethod.choices, blank=True
    )
    return_note = models.TextField(_("note on the return"), blank=True)
    return_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    added_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organiser="organiser")

    class Meta:
        ordering = ["profile__surname", "profile__given_names"]
        verbose_name = _("member")
        verbose_name_plural = _("members")
        constraints = [
            models.UniqueConstraint(fields=["trip", "profile"], name="trips_member_once"),
            models.CheckConstraint(
                condition=~(Q(active=True) & Q(returned_at__isnull=False)),
                name="trips_member_returned_is_inactive",
            ),
        ]
        indexes = [models.Index(fields=["person", "active"])]

    def __str__(self) -> str:
        return f"{self.profile} on {self.trip_id}"


class LegKind(models.TextChoices):
    FLIGHT = "flight", _("Flight")
    ROAD = "road", _("Road")


class TripLeg(models.Model):
    """One leg of a trip, in order: a flight, or a road journey between two cities."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    trip = models.ForeignKey(Trip, on_delete=models.CASCADE, related_name="legs")
    position = models.PositiveSmallIntegerField(_("order"))
    kind = models.CharField(_("kind"), max_length=6, choices=LegKind.choices)
    from_city = models.ForeignKey(
        "places.City", verbose_name=_("from"), on_delete=models.PROTECT, related_name="+"
    )
    to_city = models.ForeignKey(
        "places.City", verbose_name=_("to"), on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField(_("date"))
    flight = models.CharField(_("flight"), max_length=20, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["trip", "position"], name="trips_leg_order_unique")
        ]

    def __str__(self) -> str:
        return f"{self.from_city} → {self.to_city} ({self.date})"


class Vehicle(models.Model):
    """A bus or car of a trip on one road leg, with its driver and seats."""

    class Kind(models.TextChoices):
        BUS = "bus", _("Bus")
        COASTER = "coaster", _("Coaster (minibus)")
        VAN = "van", _("Van")
        CAR = "car", _("Car")

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    trip = models.ForeignKey(Trip, on_delete=models.CASCADE, related_name="vehicles")
    leg = models.ForeignKey(TripLeg, on_delete=models.CASCADE, related_name="vehicles")
    kind = models.CharField(_("type"), max_length=8, choices=Kind.choices, default=Kind.BUS)
    plate = models.CharField(_("plate"), max_length=20)
    driver_name = models.CharField(_("driver"), max_length=150)
    driver_phone = models.CharField(_("driver's phone"), max_length=20)
    seats = models.PositiveSmallIntegerField(_("seats"))

    class Meta:
        ordering = ["leg__position", "plate"]
        constraints = [
            models.CheckConstraint(condition=Q(seats__gte=1), name="trips_vehicle_seats")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.plate}"


class SeatAssignment(models.Model):
    """A member in a seat of a vehicle: one member per seat, one seat per member and leg."""

    vehicle = models.ForeignKey(Vehicle, on_delete=models.CASCADE, related_name="seat_assignments")
    leg = models.ForeignKey(TripLeg, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="seats")
    seat = models.PositiveSmallIntegerField(_("seat"))

    class Meta:
        ordering = ["seat"]
        constraints = [
            models.UniqueConstraint(fields=["vehicle", "seat"], name="trips_seat_once"),
            models.UniqueConstraint(fields=["leg", "member"], name="trips_one_seat_per_leg"),
            models.CheckConstraint(condition=Q(seat__gte=1), name="trips_seat_positive"),
        ]

    def __str__(self) -> str:
        return f"seat {self.seat} of {self.vehicle_id}"


class Room(models.Model):
    """A room of a trip's hotel stay, for the rooming list (every night of that stay)."""

    hotel = models.ForeignKey(TripHotel, on_delete=models.CASCADE, related_name="rooms")
    number = models.CharField(_("room"), max_length=20)
    beds = models.PositiveSmallIntegerField(_("beds"), default=4)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["hotel", "number"], name="trips_room_unique"),
            models.CheckConstraint(condition=Q(beds__gte=1), name="trips_room_beds"),
        ]

    def __str__(self) -> str:
        return self.number


class RoomOccupant(models.Model):
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="occupants")
    hotel = models.ForeignKey(TripHotel, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="rooms")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["hotel", "member"], name="trips_one_room_per_stay")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} in {self.room_id}"


class Holder(models.TextChoices):
    PILGRIM = "pilgrim", _("The pilgrim")
    ORGANISER = "organiser", _("Organiser's office")
    AIRLINE = "airline", _("Airline")
    AIRPORT = "airport", _("Airport authority")
    EMBASSY = "embassy", _("Embassy or consulate")
    HOTEL = "hotel", _("Hotel")
    LOST = "lost", _("Lost")


class PassportHandover(models.Model):
    """One handover of a member's passport: from whom to whom, where, when, recorded by whom.

    The last handover names the current holder; a passport with none is held by the pilgrim.
    """

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="handovers")
    organiser = models.ForeignKey(
        "organizers.Organiser", on_delete=models.PROTECT, related_name="+"
    )
    from_holder = models.CharField(_("from"), max_length=10, choices=Holder.choices)
    to_holder = models.CharField(_("to"), max_length=10, choices=Holder.choices)
    holder_name = models.CharField(_("held by (name)"), max_length=150, blank=True)
    place = models.CharField(_("where"), max_length=150)
    at = models.DateTimeField(_("when"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(
        _("receipt confirmed by the pilgrim"), null=True, blank=True
    )

    objects = ScopedManager(organiser="organiser")

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("passport handover")
        verbose_name_plural = _("passport handovers")

    def __str__(self) -> str:
        return f"{self.member_id}: {self.from_holder} → {self.to_holder}"


class PilgrimCard(models.Model):
    """A printed ID card of a member. Its QR holds only `token` (random, signed when
    printed); revoking the card makes the token and the short `code` resolve to nothing."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="cards")
    organiser = models.ForeignKey(
        "organizers.Organiser", on_delete=models.PROTECT, related_name="+"
    )
    token = models.CharField(max_length=32, unique=True)
    code = models.CharField(_("card code"), max_length=12, unique=True)
    issued_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=200, blank=True)

    objects = ScopedManager(organiser="organiser")

    class Meta:
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return self.code


class BookingConflict(models.Model):
    """A submission refused because a member was reserved by another trip: for the ministry,
    which sees both trips; the refused organiser only learned "another organiser"."""

    trip = models.ForeignKey(Trip, on_delete=models.CASCADE, related_name="+")
    other_trip = models.ForeignKey(Trip, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(
        max_length=20,
        choices=[("overlap", _("dates overlap")), ("not_returned", _("never came back"))],
    )
    detected_at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-detected_at"]

    def __str__(self) -> str:
        return f"{self.trip_id} vs {self.other_trip_id}"
