from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "leitai.portal"
    label = "portal"
    verbose_name = _("门户")

    def ready(self) -> None:
        from leitai import audit

        from .models import PressRelease

        audit.register(PressRelease)
