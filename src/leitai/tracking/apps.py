from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrackingConfig(AppConfig):
    name = "leitai.tracking"
    label = "tracking"
    verbose_name = _("承诺与整改督办")

    def ready(self):
        from leitai.indicators.signals import data_committed

        from .pledges.services import judge_pledges

        def settle_pledges(sender, batch, **kwargs):
            judge_pledges()

        data_committed.connect(settle_pledges, weak=False, dispatch_uid="tracking.settle_pledges")

        from leitai import audit

        from .models import (
            Attachment,
            Feedback,
            Item,
            KeyProject,
            Measure,
            Pledge,
            PledgeCheck,
            ReviewAssignment,
            ReviewRound,
        )

        # Transitions, project changes, reminders and notices are logs themselves.
        for model in (Item, Measure, Pledge, PledgeCheck, KeyProject, ReviewRound, ReviewAssignment, Attachment):
            audit.register(model)
        audit.register(Feedback, mask=("token_hash",))
