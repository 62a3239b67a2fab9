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

        from leitai import audit
        from leitai.arena import models as m

        # The day's event log and the sheets' revisions are logs themselves; phones' sheets are written in
        # bulk and recorded one entry per batch (day.sheets).
        for model in (m.Arena, m.Criterion, m.JudgeGroup, m.Contestant, m.Submission, m.SubmissionItem, m.Question,
                      m.Comment, m.Shortcoming, m.ScoreSheet, m.RankSheet, m.SubmissionVersion, m.ResultCorrection):
            audit.register(model)
        audit.register(m.Judge, mask=("token_hash",))
