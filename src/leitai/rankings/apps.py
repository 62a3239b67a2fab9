from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RankingsConfig(AppConfig):
    name = "leitai.rankings"
    label = "rankings"
    verbose_name = _("考核方案与排名")

    def ready(self) -> None:
        from leitai import audit

        from .models import Adjustment, AssessmentPlan, PlanVersion, Ranking, RankingCorrection

        # A ranking's data snapshot (inputs) and rows are written with it and frozen with it.
        for model in (AssessmentPlan, PlanVersion, Adjustment, RankingCorrection):
            audit.register(model)
        audit.register(Ranking, exclude=("inputs", "report"))
