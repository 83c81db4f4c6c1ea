"""People who sign in: their role, the organiser they work for, one-time codes and API tokens."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zaireen.core.roles import ORGANISER_ROLES, Role


class User(AbstractUser):
    """A login. Officials and organiser staff use a password; leaders and pilgrims a phone code.

    `organiser` is set exactly for the roles that work for one organiser (a database
    constraint), so a tenant can never be forgotten or given to an official.
    """

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)
    organiser = models.ForeignKey(
        "organizers.Organiser",
        verbose_name=_("organiser"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    phone = models.CharField(
        _("mobile phone"), max_length=20, blank=True, help_text=_("International format")
    )
    # A pilgrim's or leader's login is bound to their Person through the keyed hash of the
    # CNIC they give at their first sign-in: so they see their own trips, and nobody else's.
    person = models.ForeignKey(
        "pilgrims.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="accounts",
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role__in=sorted(ORGANISER_ROLES), organiser__isnull=False)
                    | (~Q(role__in=sorted(ORGANISER_ROLES)) & Q(organiser__isnull=True))
                ),
                name="accounts_user_organiser_iff_organiser_role",
            ),
            models.UniqueConstraint(
                fields=["phone"], condition=~Q(phone=""), name="accounts_user_phone_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def has_role(self, *roles: str) -> bool:
        return self.is_authenticated and self.is_active and self.role in roles


class OneTimeCode(models.Model):
    """A code sent by SMS for a phone login. Stored as a keyed digest, used once, short-lived."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="one_time_codes"
    )
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self) -> str:
        return f"code for {self.user_id} at {self.created_at:%H:%M}"


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 digest is kept: the token is long and random, so
    a slow password hash would cost every API request and protect nothing more."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("name"), max_length=80)
    prefix = models.CharField(_("starts with"), max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
