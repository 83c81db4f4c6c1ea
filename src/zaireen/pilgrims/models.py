"""People and their profiles (DESIGN.md, "People, identity and tenancy").

A `Person` is global and holds only keyed hashes of its identifiers, so that "one active trip
per person, across organisers" can be enforced without any organiser seeing another's data.
A `PilgrimProfile` belongs to one organiser and holds what that organiser knows, with the
identifiers and medical notes encrypted.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from zaireen.core.fields import EncryptedTextField


class Person(models.Model):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return f"person {self.uid}"


class IdentifierKind(models.TextChoices):
    CNIC = "cnic", _("CNIC")
    PASSPORT = "passport", _("Passport")


class PersonIdentifier(models.Model):
    """A keyed hash of one normalised identifier (`CNIC|…`, `PASSPORT|PAK|…`) of a person.

    Unique per key version: one identifier can only ever point at one person.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="identifiers")
    kind = models.CharField(max_length=10, choices=IdentifierKind.choices)
    digest = models.CharField(max_length=64)
    key_version = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["key_version", "digest"], name="pilgrims_identifier_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} of {self.person_id} (key {self.key_version})"


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")
    OTHER = "X", _("Unspecified")


class BloodGroup(models.TextChoices):
    UNKNOWN = "", _("Unknown")
    A_POS = "A+", "A+"
    A_NEG = "A-", "A−"
    B_POS = "B+", "B+"
    B_NEG = "B-", "B−"
    AB_POS = "AB+", "AB+"
    AB_NEG = "AB-", "AB−"
    O_POS = "O+", "O+"
    O_NEG = "O-", "O−"


class PilgrimProfile(models.Model):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organiser = models.ForeignKey(
        "organizers.Organiser",
        verbose_name=_("organiser"),
        on_delete=models.PROTECT,
        related_name="pilgrims",
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="profiles")
    surname = models.CharField(_("surname (as in the passport)"), max_length=100)
    given_names = models.CharField(_("given names (as in the passport)"), max_length=100)
    name_urdu = models.CharField(_("name in Urdu"), max_length=150, blank=True)
    guardian_name = models.CharField(_("father's or husband's name"), max_length=150, blank=True)
    home_city = models.CharField(_("home city"), max_length=100, blank=True)
    cnic = EncryptedTextField(_("CNIC"))
    passport_number = EncryptedTextField(_("passport number"))
    passport_issuing_state = models.CharField(_("issuing state"), max_length=3, default="PAK")
    passport_expiry = models.DateField(_("passport expiry"))
    birth_date = models.DateField(_("date of birth"))
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True)
    next_of_kin_name = models.CharField(_("next of kin"), max_length=150, blank=True)
    next_of_kin_relation = models.CharField(_("relation"), max_length=50, blank=True)
    next_of_kin_phone = models.CharField(_("next of kin's phone"), max_length=20, blank=True)
    needs_wheelchair = models.BooleanField(_("needs a wheelchair"), default=False)
    needs_elderly_care = models.BooleanField(_("elderly, needs help"), default=False)
    medical_notes = EncryptedTextField(_("medical notes"), blank=True)
    blood_group = models.CharField(
        _("blood group"), max_length=3, choices=BloodGroup.choices, blank=True
    )
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedManager(organiser="organiser")

    class Meta:
        ordering = ["surname", "given_names"]
        verbose_name = _("pilgrim")
        verbose_name_plural = _("pilgrims")
        constraints = [
            models.UniqueConstraint(
                fields=["organiser", "person"], name="pilgrims_one_profile_per_organiser"
            )
        ]
        indexes = [models.Index(fields=["organiser", "surname", "given_names"])]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.given_names, self.surname) if part)


class ProfilePhoto(models.Model):
    """A pilgrim's optional photo, kept apart from the profile so that lists never load it.

    Stored re-encoded (JPEG, at most `photos.MAX_SIDE` pixels, no metadata: a phone photo's EXIF
    carries the place it was taken) and encrypted like the other personal data.
    """

    profile = models.OneToOneField(PilgrimProfile, on_delete=models.CASCADE, related_name="photo")
    organiser = models.ForeignKey(
        "organizers.Organiser", on_delete=models.PROTECT, related_name="+"
    )
    content = EncryptedTextField(_("photo"))
    sha256 = models.CharField(max_length=64)
    width = models.PositiveSmallIntegerField()
    height = models.PositiveSmallIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(organiser="organiser")

    class Meta:
        verbose_name = _("pilgrim photo")
        verbose_name_plural = _("pilgrim photos")

    def __str__(self) -> str:
        return f"photo of {self.profile_id}"


class IdentityConflict(models.Model):
    """A registration refused because its CNIC and its passport belong to two different people.

    Flagged to the ministry: it is either a typing mistake or a forged document.
    """

    organiser = models.ForeignKey(
        "organizers.Organiser", verbose_name=_("organiser"), on_delete=models.PROTECT
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    cnic_person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    passport_person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    detected_at = models.DateTimeField(_("detected"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)

    class Meta:
        ordering = ["-detected_at"]
        verbose_name = _("identity conflict")
        verbose_name_plural = _("identity conflicts")

    def __str__(self) -> str:
        return f"conflict {self.pk} ({self.organiser})"
