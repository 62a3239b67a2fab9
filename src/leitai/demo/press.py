"""The demo's quarterly press release (季度指标发布): ten indicators of the county plan's last quarter-end
ranking, drafted and published through the portal's services, as the office would."""

from __future__ import annotations

from leitai.portal.public import selectors, services
from leitai.rankings.models import Ranking
from leitai.rankings.selectors import period_label

PLAN = "county-hq"
INDICATORS = 10


def build_press_release(organizer) -> int | None:
    """Publish one release; returns its id (None when the plan has no published ranking)."""
    published = list(Ranking.objects.filter(status=Ranking.Status.PUBLISHED, plan_version__plan__code=PLAN)
                     .select_related("period", "plan_version__plan").defer("inputs", "report")
                     .order_by("-period__start"))
    quarter_ends = [r for r in published if r.period.kind == "month" and r.period.number % 3 == 0]
    ranking = (quarter_ends or published or [None])[0]
    if ranking is None:
        return None
    codes = [c["code"] for c in selectors.ranking_indicators(ranking)][:INDICATORS]
    title = f"{period_label(ranking.period)}各县市区主要经济社会发展指标"
    draft = services.create_draft(organizer, ranking=Ranking.objects.get(pk=ranking.pk), codes=codes, title=title,
                                  office=selectors.default_office())
    return services.publish(organizer, draft).pk
