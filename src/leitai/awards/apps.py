from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    name = "leitai.awards"
    label = "awards"
    verbose_name = _("表彰")

    def ready(self) -> None:
        from leitai import audit
        from leitai.rankings import cuts

        from .models import Award, AwardKind, Team, TeamMembership
        from .selectors import ranking_cuts

        audit.register(AwardKind)
        audit.register(Award)
        audit.register(Team)
        audit.register(TeamMembership)
        cuts.register(ranking_cuts)  # award boundaries checked before a ranking is published
