from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    name = "leitai.awards"
    label = "awards"
    verbose_name = _("表彰")

    def ready(self) -> None:
        from leitai import audit

        from .models import Award, AwardKind, Team, TeamMembership

        audit.register(AwardKind)
        audit.register(Award)
        audit.register(Team)
        audit.register(TeamMembership)
