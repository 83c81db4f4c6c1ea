"""Model fields that keep personal data encrypted at rest."""

from django.db import models

from zaireen.core import crypto


class EncryptedTextField(models.TextField):
    """Text stored as a Fernet token; Python sees the clear text.

    The token differs on every save, so the column can be neither searched nor indexed: find
    people through their keyed hashes (`pilgrims.models.PersonIdentifier`) instead.
    """

    description = "Text encrypted with the Fernet keys of ZAIREEN_FERNET_KEYS"

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return crypto.decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(value)
