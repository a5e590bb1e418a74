from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AffairsConfig(AppConfig):
    name = "propdesk.affairs"
    label = "affairs"
    verbose_name = _("Public affairs")
