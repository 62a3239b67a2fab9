from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArenaConfig(AppConfig):
    name = "leitai.arena"
    label = "arena"
    verbose_name = _("擂台赛")
