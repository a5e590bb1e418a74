"""With the production queue (django-tasks-db) the delivery is a row a worker picks up by id."""

import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from propdesk.notify.models import Notification
from propdesk.notify.services import Contact, notify

# The worker closes its database connection when it finishes: the test cannot run inside a
# transaction that would be rolled back.
pytestmark = pytest.mark.django_db(transaction=True)


def test_delivery_is_queued_by_id_and_run_by_the_db_worker(project, settings, django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        (row,) = notify(project=project, event="work_order.resolved", subject="已处理", body="您的报修已处理完毕。",
                        customers=[Contact(customer_id=41, name="王建国", email="wang@example.com")])
    (queued,) = DBTaskResult.objects.all()
    assert queued.task_path == "propdesk.notify.tasks.deliver_notification"
    assert queued.args_kwargs == {"args": [row.pk], "kwargs": {}}
    assert mail.outbox == []

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    assert Notification.objects.get(pk=row.pk).status == "sent"
    assert len(mail.outbox) == 1
