"""Idempotency keys for the engage domain's creates (a notice, an activity, a sign-up, a redemption…).

The same mechanism as the service desk's (service.services.earlier_work_order/store_new), for objects of
any engage model: the client that sent the key ("staff:<id>" or "owner:<mobile>") and the key are unique,
and a retry gets the first object back instead of a second one.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction

from .models import CreateKey


def client_of(actor) -> str:
    """Who sent a request: a staff member, or an owner (archive.owners.Owner)."""
    key = getattr(actor, "client_key", None)
    return key[:40] if key else f"staff:{actor.pk}"


def earlier(client: str, key: str | None, model):
    """The object of `model` this client already created with this key, or None."""
    if not key:
        return None
    found = CreateKey.objects.filter(client=client, key=key).values_list("object_type_id", "object_id").first()
    if found is None:
        return None
    if found[0] != ContentType.objects.get_for_model(model).pk:
        return None
    return model.objects.filter(pk=found[1]).first()


def create_once(client: str, key: str | None, model, create) -> tuple:
    """Run `create()` (which writes and returns a `model` object) unless this client's key already made one;
    returns (object, created). The key is stored in the same transaction as the object."""
    if not key:
        return create(), True
    found = earlier(client, key, model)
    if found is not None:
        return found, False
    try:
        with transaction.atomic():
            obj = create()
            CreateKey.objects.create(client=client, key=key[:100], object_id=obj.pk,
                                     object_type=ContentType.objects.get_for_model(model))
        return obj, True
    except IntegrityError:
        found = earlier(client, key, model)
        if found is None:
            raise
        return found, False
