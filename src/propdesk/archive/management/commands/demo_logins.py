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
