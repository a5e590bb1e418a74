"""`manage.py load_demo`: the demo company, its projects, archives, staff and service-desk history.

Runs on every `make run`; when the demo company exists it says so and changes nothing.
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.module_loading import import_string

from propdesk.archive.demo import DemoConflict, load_demo
from propdesk.archive.demo_data import DEMO_COMPANY, DEMO_PASSWORD
from propdesk.knowledge.demo import load_faq_demo
from propdesk.service.demo import load_service_demo
from propdesk.surveys.demo import load_survey_demo


class Command(BaseCommand):
    help = "Load the demo data (示例数据): 2 projects, ~2,000 units, ~3,000 customers, one login per role, " \
           "and a few hundred work orders."

    def handle(self, *args, **options):
        started = time.perf_counter()
        now = timezone.now()
        try:
            summary = load_demo(now=now)
        except DemoConflict as exc:
            raise CommandError(
                f"演示数据未载入：用户名或项目编号已被占用 / demo data not loaded, already taken: {exc}"
            ) from exc
        if summary is None:
            self.stdout.write(f"示例数据已存在（{DEMO_COMPANY}），未做任何改动 / demo data already loaded, nothing changed.")
            return
        orders = load_service_demo(now)
        faqs = load_faq_demo()
        load_survey_demo(now)
        # The domains above the service layer bring their own demo (settings.DEMO_LOADERS, in order).
        extra = [import_string(path)(now) for path in settings.DEMO_LOADERS]
        elapsed = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(
            f"已载入示例数据 / demo data loaded: {summary.projects} 个项目 projects, {summary.units} 套房屋 units, "
            f"{summary.customers} 位客户 customers, {summary.staff} 个员工账号 staff logins, {orders} 张工单 work orders, {faqs} 条常见问题 FAQs "
            f"(密码 password: {DEMO_PASSWORD}) in {elapsed:.1f}s"
        ))
        for line in filter(None, extra):
            self.stdout.write(f"  {line}")
