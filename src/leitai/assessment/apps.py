from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "leitai.assessment"
    label = "assessment"
    verbose_name = _("考绩")

    def ready(self) -> None:
        from leitai import audit

        from .models import Assessment, Scheme

        audit.register(Scheme)
        audit.register(Assessment, exclude=("inputs",))
