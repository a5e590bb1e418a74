"""What a phone received: the tests' stand-in for the owner's handset.

The database keeps a message's secrets (sign-in codes, survey tokens) only masked, so a test that needs
the code reads it where the owner would: from the SMS delivered to the phone. `received()` first
delivers what is still pending for that number, as the worker does once the request's transaction has
committed (inside a test's transaction `on_commit` never fires), then reads the simulated handset of
the test settings (notify.backends.DemoHandsetSmsBackend).
"""

from propdesk.notify.backends import demo_handset
from propdesk.notify.models import Notification
from propdesk.notify.services import deliver


def received(phone: str) -> str:
    """The last SMS that reached `phone`, in clear (as on the handset)."""
    pending = Notification.objects.filter(address=phone, channel="sms", status__in=["pending", "failed"])
    for pk in pending.order_by("pk").values_list("pk", flat=True):
        deliver(pk)
    return demo_handset(phone)
