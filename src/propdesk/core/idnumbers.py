"""An ID document number kept encrypted at rest (PIPL), for every model that stores one.

The number is encrypted (`id_number_encrypted`), with a keyed hash for exact lookup (`id_number_hash`)
and its masked form for display (`id_number_mask`); `id_number` reads and writes it in clear in memory
only. Customers of the archive, visitors at the gate and claimants of found items all keep theirs so.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import crypto
from .sensitive import mask_id_number

ID_NUMBER_MAX_LENGTH = 40


class EncryptedIdNumber(models.Model):
    """Abstract: the three columns of an encrypted ID number and the clear-text property over them."""

    id_number_encrypted = models.TextField(_("ID document number (encrypted)"), blank=True, default="")
    id_number_hash = models.CharField(_("ID document number (keyed hash)"), max_length=64, blank=True,
                                      default="", db_index=True)
    id_number_mask = models.CharField(_("ID document number"), max_length=ID_NUMBER_MAX_LENGTH, blank=True,
                                      default="")

    # The three columns written together whenever id_number is set (for update_fields / bulk_update).
    ID_NUMBER_COLUMNS = ["id_number_encrypted", "id_number_hash", "id_number_mask"]

    class Meta:
        abstract = True

    def __getstate__(self):
        state = super().__getstate__()
        state.pop("_id_number_clear", None)  # a pickled object (cache, queue) carries no clear number
        return state

    @property
    def id_number(self) -> str:
        """The full ID number in clear (decrypted on first read); "" when there is none."""
        if "_id_number_clear" not in self.__dict__:
            token = self.id_number_encrypted
            self.__dict__["_id_number_clear"] = crypto.decrypt(token) if token else ""
        return self.__dict__["_id_number_clear"]

    @id_number.setter
    def id_number(self, value: str | None) -> None:
        number = crypto.normalise_id_number(value)
        if number and number == self.__dict__.get("_id_number_clear"):
            return  # unchanged: keep the stored ciphertext
        self.__dict__["_id_number_clear"] = number
        self.id_number_encrypted = crypto.encrypt(number) if number else ""
        self.id_number_hash = crypto.blind_index(number) if number else ""
        self.id_number_mask = mask_id_number(number)

    @property
    def has_id_number(self) -> bool:
        return bool(self.id_number_encrypted)

    @property
    def masked_id_number(self) -> str:
        return self.id_number_mask

    def id_number_is(self, number: str) -> bool:
        """Whether `number` is the stored ID number, compared by keyed hash without decrypting."""
        return crypto.blind_index(number) == self.id_number_hash

    def clean(self):
        super().clean()
        number = self.__dict__.get("_id_number_clear")
        if number:
            try:
                MaxLengthValidator(ID_NUMBER_MAX_LENGTH)(number)
            except ValidationError as exc:
                raise ValidationError({"id_number": exc.messages}) from exc

    def refresh_from_db(self, *args, **kwargs):
        self.__dict__.pop("_id_number_clear", None)
        super().refresh_from_db(*args, **kwargs)
