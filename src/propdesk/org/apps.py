from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "propdesk.org"
    label = "org"
    verbose_name = _("Organisation")

    def ready(self):
        from . import audit  # noqa: F401 - connects the sign-in/sign-out receivers of the audit log
