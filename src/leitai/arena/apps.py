from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArenaConfig(AppConfig):
    name = "leitai.arena"
    label = "arena"
    verbose_name = _("擂台赛")

    def ready(self) -> None:
        from leitai import live
        from leitai.arena.day.live_state import load_arena_state

        live.register_loader("arena:", load_arena_state)
