"""An emergency notice jumps the queue (issue 15 item 1): django-tasks-db runs higher priorities first."""

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from propdesk.engage.models import NoticeDispatch
from propdesk.engage.notices import services
from tests.engage.test_notices import draft

# The worker closes its database connection when it finishes: the test cannot run inside a transaction.
pytestmark = pytest.mark.django_db(transaction=True)


def test_an_emergency_notice_is_queued_ahead_of_everything_else(homes, manager, project, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    tip = draft(manager, project, title="电梯年检提示")
    urgent = draft(manager, project, kind="emergency", title="5栋水管爆裂紧急停水")
    services.send_notice(manager, tip)  # committed at once: the fan-outs are queued
    services.send_notice(manager, urgent)
    queued = list(DBTaskResult.objects.order_by("-priority", "enqueued_at").values_list("priority", "args_kwargs"))
    fan_outs = {NoticeDispatch.objects.get(notice=tip).pk: "tip", NoticeDispatch.objects.get(notice=urgent).pk: "urgent"}
    assert [(p, fan_outs[a["args"][0]]) for p, a in queued] == [(90, "urgent"), (-10, "tip")]
    # the worker takes the emergency first; its messages are queued ahead of the tip's too
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--max-tasks", "1", verbosity=0)
    assert NoticeDispatch.objects.get(notice=urgent).finished_at is not None
    assert NoticeDispatch.objects.get(notice=tip).finished_at is None
    head = DBTaskResult.objects.filter(status="READY").order_by("-priority", "enqueued_at").first()
    assert head.task_path == "propdesk.notify.tasks.deliver_notifications" and head.priority == 90


