"""The home page: what is published, where to go next."""

from django.shortcuts import render

from leitai.rankings.models import Ranking


def home(request):
    latest = (
        Ranking.objects.filter(status=Ranking.Status.PUBLISHED)
        .select_related("plan_version__plan", "period")
        .order_by("-period__start", "-published_at")[:6]
    )
    return render(request, "portal/home.html", {"latest": latest})
