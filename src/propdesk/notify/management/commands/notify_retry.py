"""Re-enqueue failed and stuck email/SMS deliveries: run it every few minutes from the scheduler."""

from django.core.management.base import BaseCommand

from propdesk.notify import services


class Command(BaseCommand):
    help = "Re-enqueue failed and stuck notification deliveries (attempts below NOTIFY_MAX_ATTEMPTS)."

    def handle(self, *args, **options):
        count = services.retry_failed()
        self.stdout.write(f"{count} notification(s) re-enqueued")
