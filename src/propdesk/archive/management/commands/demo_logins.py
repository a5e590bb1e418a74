"""`manage.py demo_logins`: the table of demo logins that `make run` prints before serving."""

import unicodedata

from django.core.management.base import BaseCommand

from propdesk.archive.demo_data import DEMO_PASSWORD, DEMO_USERS, ROLE_LABELS
from propdesk.org.models import User


def _width(text: str) -> int:
    """Terminal columns: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(width - _width(text), 0)


class Command(BaseCommand):
    help = "Print the demo logins (演示账号): username, role, projects, password."

    def handle(self, *args, **options):
        users = {u.username: u for u in User.objects.filter(username__in=[row[0] for row in DEMO_USERS])
                 .prefetch_related("projects")}
        if not users:
            self.stdout.write("没有演示账号，请先运行 manage.py load_demo / no demo logins: run manage.py load_demo first.")
            return
        rows = [("用户名 username", "角色 role", "项目 projects", "密码 password")]
        for username, _role, _name, _codes in DEMO_USERS:
            user = users.get(username)
            if user is None:
                continue
            projects = "全部 all" if user.is_company_admin else ", ".join(p.name for p in user.projects.all())
            password = DEMO_PASSWORD if user.check_password(DEMO_PASSWORD) else "(已修改 changed)"
            if not user.is_active:
                password = "(已停用 disabled)"
            rows.append((username, ROLE_LABELS.get(user.role, user.role), projects, password))
        widths = [max(_width(row[i]) for row in rows) + 2 for i in range(4)]
        self.stdout.write("演示账号 Demo logins")
        for row in rows:
            self.stdout.write("  " + "".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip())
        self._owners()

    def _owners(self):
        """Owners and tenants sign in to the portal by mobile; the demo shows the SMS code on the page."""
        from propdesk.archive.models import CustomerPhone, Occupancy
        from propdesk.archive.owners import current_occupancies

        picks = []
        for role in (Occupancy.Role.OWNER, Occupancy.Role.TENANT):
            phone = (CustomerPhone.objects.filter(customer__occupancies__role=role, customer__project__code="sunshine",
                                                  customer__occupancies__end_date__isnull=role == "owner",
                                                  number__startswith="1")
                     .order_by("customer__code").values_list("number", flat=True).first())
            occupancy = current_occupancies(phone).first() if phone else None
            if occupancy:
                picks.append((phone, occupancy))
        if not picks:
            return
        self.stdout.write("业主端 Owner portal: /portal/ — 手机号登录，演示模式下验证码显示在登录页 "
                          "(sign in by mobile; the demo shows the SMS code on the page)")
        from django.conf import settings
        from django.utils import translation

        with translation.override(settings.LANGUAGE_CODE):
            for phone, occ in picks:
                self.stdout.write(f"  {phone}  {occ.customer.name}  {occ.get_role_display()}  "
                                  f"{occ.unit.project.name} {occ.unit.label}")
