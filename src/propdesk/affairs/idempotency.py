"""Idempotency-Key for the creates of public affairs: a retried create (a gate terminal that lost the answer,
a double tap) returns the first object, and nothing new is written.

`once(client, key, model, create)` runs `create()` and records the key in one transaction; if the key was
used before by this client, the first object comes back instead. Two retries racing in: the loser's
transaction rolls back whole (its object too) on the unique key and it returns the winner's object.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction

from .models import IdempotencyKey


def _earlier(client: str, key: str, model):
    found = IdempotencyKey.objects.filter(client=client, key=key).values_list("subject_id", flat=True).first()
    return model.objects.filter(pk=found).first() if found else None


def once(client: str, key: str | None, model, create):
    """(object, created): `create()`'s new object, or the one this client's `key` already created."""
    if not key:
        return create(), True
    earlier = _earlier(client, key, model)
    if earlier is not None:
        return earlier, False
    try:
        with transaction.atomic():
            obj = create()
            IdempotencyKey.objects.create(client=client, key=key, subject_id=obj.pk,
                                          subject_type=ContentType.objects.get_for_model(model))
    except IntegrityError:
        earlier = _earlier(client, key, model)
        if earlier is None:
            raise
        return earlier, False
    return obj, True
