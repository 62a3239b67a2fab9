from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "leitai.indicators"
    label = "indicators"
    verbose_name = _("指标与数据")

    def ready(self) -> None:
        from leitai import audit

        from .models import (
            AnnualTarget,
            Category,
            ImportBatch,
            Indicator,
            Observation,
            Period,
            Reference,
            ReferencePeer,
        )

        # Observations' own history is ObservationRevision; an import writes its values in bulk and is
        # recorded as its batch (file, counts, status), not value by value.
        for model in (Category, Indicator, Period, Observation, AnnualTarget, Reference, ReferencePeer):
            audit.register(model)
        audit.register(ImportBatch, exclude=("report",))
