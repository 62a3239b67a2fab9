"""The home page (/): each signed-in role's own home (portal.homes), or what is published for the public."""

from django.shortcuts import render

from leitai.assessment.models import Assessment
from leitai.portal.homes.views import page_for
from leitai.rankings.models import Ranking


def home(request):
    """Organizers, reporters, judges and citizen supervisors get their home; the public and anonymous visitors
    the published overview below."""
    page = page_for(request)
    if page is not None:
        return page
    return public_home(request)


def public_home(request):
    latest = (
        Ranking.objects.filter(status=Ranking.Status.PUBLISHED)
        .select_related("plan_version__plan", "period")
        .order_by("-period__start", "-published_at")[:6]
    )
    assessments = (Assessment.objects.filter(status=Assessment.Status.PUBLISHED).select_related("scheme", "period")
                   .defer("inputs", "result").order_by("-period__end", "-published_at")[:4])
    return render(request, "portal/home.html", {"latest": latest, "assessments": assessments})
