"""The search copy behind the consular look-up: one row beside each pilgrim profile.

`ProfileNameKey` holds what a name search filters and ranks on, derived from the profile by
`services.name_keys_refresh` (never edited by hand): the canonical name key (`names.name_key`),
the birth year, sex, the folded home city and the phone (E.164, already clear in the profile,
copied here so that a phone look-up uses an index). On PostgreSQL the key carries a GIN
trigram index and a GIN word index (migration 0002); see docs/lookup.md.
"""

from django.db import models
from django.db.models import Lookup
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

# Raise when `names.name_key` changes: `zaireen name_keys_rebuild --stale` then redoes the rows.
KEY_VERSION = 1


class NameKeyField(models.CharField):
    """A canonical name key (or word). On PostgreSQL, `__similar=q` is pg_trgm's `% q` and
    `__matches_words=tsquery` matches the key's words; both use the GIN indexes of migrations
    0002 and 0004. Neither exists on SQLite, where the selector does the same in Python."""


@NameKeyField.register_lookup
class TrigramSimilar(Lookup):
    lookup_name = "similar"

    def as_sql(self, compiler, connection):
        raise NotImplementedError("trigram search needs PostgreSQL; see lookup.selectors")

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} %% {rhs}", [*lhs_params, *rhs_params]


@NameKeyField.register_lookup
class MatchesWords(Lookup):
    """`key__matches_words="(husan | hasan) & jafri"`: a tsquery over the key's words."""

    lookup_name = "matches_words"

    def as_sql(self, compiler, connection):
        raise NotImplementedError("word search needs PostgreSQL; see lookup.selectors")

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        # The very expression of the index lookup_key_words (migration 0002).
        return (
            f"to_tsvector('simple'::regconfig, {lhs}) @@ to_tsquery('simple'::regconfig, {rhs})",
            [*lhs_params, *rhs_params],
        )


class NameWord(models.Model):
    """Every word that occurs in a name key: the vocabulary a query word is matched against
    (by trigram similarity, GIN-indexed on PostgreSQL) before the keys are searched. Never
    pruned: a word no key has any more simply matches nothing."""

    word = NameKeyField(primary_key=True, max_length=100)

    def __str__(self) -> str:
        return self.word


class ProfileNameKey(models.Model):
    profile = models.OneToOneField(
        "pilgrims.PilgrimProfile",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="name_key",
    )
    organiser = models.ForeignKey(
        "organizers.Organiser", on_delete=models.CASCADE, related_name="+"
    )
    key = NameKeyField(_("name key"), max_length=200)
    birth_year = models.PositiveSmallIntegerField(_("birth year"))
    sex = models.CharField(_("sex"), max_length=1)
    city_key = models.CharField(_("home city key"), max_length=100, blank=True)
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True)
    version = models.PositiveSmallIntegerField(default=KEY_VERSION)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(organiser="organiser")

    class Meta:
        verbose_name = _("name key")
        verbose_name_plural = _("name keys")
        indexes = [
            models.Index(fields=["birth_year", "sex"], name="lookup_key_year_sex"),
            models.Index(fields=["phone"], name="lookup_key_phone", condition=~models.Q(phone="")),
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.birth_year})"
