"""Idempotent creates, the same for every router: the client sends an `Idempotency-Key` when it may retry;
the same key again answers 200 with the first object (`Idempotent-Replayed: true`) and writes nothing, a new
object answers 201. The services keep the keys (service.services.store_new and the domains' equivalents)."""

from ninja import Header, Status

REPLAYED = "Idempotent-Replayed"

KEY = Header(None, alias="Idempotency-Key", max_length=100,
             description="Send the same key when retrying: the first object comes back (200, "
                         "`Idempotent-Replayed: true`) and nothing new is written.")


def created_answer(response, obj, created: bool, reread):
    """201 with the new object, or 200 with the first one (marked as replayed); `reread(pk)` reads it back
    through the caller's scope."""
    if not created:
        response[REPLAYED] = "true"
        return Status(200, reread(obj.pk))
    return Status(201, reread(obj.pk))
