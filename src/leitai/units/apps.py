from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnitsConfig(AppConfig):
    name = "leitai.units"
    label = "units"
    verbose_name = _("单位与人员")

    def ready(self) -> None:
        from leitai import audit

        from .models import Person, Post, Unit

        for model in (Unit, Person, Post):
            audit.register(model)
