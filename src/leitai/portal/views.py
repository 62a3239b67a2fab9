"""The home page: what is published, where to go next."""

from django.shortcuts import render

from leitai.assessment.models import Assessment
from leitai.portal.public import views as public_views
from leitai.portal.public.selectors import is_public
from leitai.rankings.models import Ranking


def home(request):
    if not request.user.is_authenticated or is_public(request.user):
        return public_views.home(request)  # the public portal (portal/public/)
    latest = (
        Ranking.objects.filter(status=Ranking.Status.PUBLISHED)
        .select_related("plan_version__plan", "period")
        .order_by("-period__start", "-published_at")[:6]
    )
    assessments = (Assessment.objects.filter(status=Assessment.Status.PUBLISHED).select_related("scheme", "period")
                   .defer("inputs", "result").order_by("-period__end", "-published_at")[:4])
    return render(request, "portal/home.html", {"latest": latest, "assessments": assessments})
