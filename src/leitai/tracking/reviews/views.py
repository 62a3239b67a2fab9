"""Follow-up review pages (回头看): rounds for the organizer, a supervisor's phone page, and the raiser's
answer page reached by a one-time link without an account."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from leitai.accounts.permissions import organizer_required
from leitai.core.errors import LeitaiError
from leitai.lang import page_lang as _lang

from ..base.pages import xlsx_response
from ..items import selectors as item_selectors
from ..models import ReviewAssignment
from . import io, selectors, services
from .forms import RoundForm


@organizer_required
def reviews(request):
    """Rounds, the form to start one, and closed items whose raiser has not yet been asked."""
    form = RoundForm(request.POST or None)
    if request.method == "POST" and request.POST.get("action") == "feedback":
        item = item_selectors.item_or_404(request.POST.get("item", ""))
        try:
            token = services.issue_feedback_link(item)
        except LeitaiError as exc:
            messages.error(request, exc.message(_lang()))
        else:
            link = request.build_absolute_uri(reverse("tracking:feedback", args=[token]))
            messages.success(request, _("请将此链接发给 %(who)s（仅显示一次）：%(link)s") % {"who": item.raised_by, "link": link})
        return redirect("tracking:reviews")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rnd = services.create_round(request.user, data["name"], method=data["method"],
                                        sample_size=data["sample_size"], seed=data["seed"] or None,
                                        supervisors=list(data["supervisors"]))
        except LeitaiError as exc:
            form.add_error(None, exc.message(_lang()))
        else:
            return redirect("tracking:review_round", pk=rnd.pk)
    return render(request, "tracking/reviews_list.html",
                  {"form": form, "rounds": selectors.rounds(), "awaiting": selectors.awaiting_feedback()[:50]})


@organizer_required
def review_round(request, pk):
    """A round's assignments with verdicts, and coverage and satisfaction per unit."""
    rnd = selectors.round_or_404(pk)
    return render(request, "tracking/reviews_round.html",
                  {"round": rnd, "assignments": selectors.round_assignments(rnd),
                   "summary": selectors.round_summary(rnd)})


@organizer_required
def export_round(request, pk):
    """A round's assignments, verdicts and per-unit figures as .xlsx."""
    rnd = selectors.round_or_404(pk)
    assignments = selectors.round_assignments(rnd, by_code=True)
    return xlsx_response(io.review_round_xlsx(rnd, assignments, selectors.round_summary(rnd)), f"review-{rnd.pk}.xlsx")


@login_required
def my_reviews(request):
    """A citizen supervisor's phone page: their assignments, the close-out evidence, and the verdict form."""
    if request.user.role != selectors.SUPERVISOR:
        raise PermissionDenied
    if request.method == "POST":
        assignment = selectors.assignment_or_404(request.POST.get("assignment") or 0)
        try:
            services.record_verdict(request.user, assignment, request.POST.get("verdict", ""),
                                    request.POST.get("comment", ""), request.FILES.getlist("photos"))
        except LeitaiError as exc:
            messages.error(request, exc.message(_lang()))
        else:
            messages.success(request, _("评价已提交，谢谢！"))
        return redirect("tracking:my_reviews")
    mine = selectors.my_assignments(request.user)
    return render(request, "tracking/reviews_mine.html",
                  {"pending": [m for m in mine if m.done_at is None], "done": [m for m in mine if m.done_at],
                   "verdicts": ReviewAssignment.Verdict.choices})


def feedback(request, token):
    """The raiser's page, no account needed: is the problem really solved? Works once."""
    fb = selectors.feedback_for(token)
    if fb is None or fb.answered_at is not None:
        return render(request, "tracking/reviews_feedback.html", {"state": "used" if fb else "unknown"})
    if request.method == "POST" and request.POST.get("solved") in ("yes", "no"):
        try:
            services.answer_feedback(token, request.POST["solved"] == "yes", request.POST.get("comment", ""))
        except LeitaiError:
            return render(request, "tracking/reviews_feedback.html", {"state": "used"})
        return render(request, "tracking/reviews_feedback.html", {"state": "thanks"})
    return render(request, "tracking/reviews_feedback.html", {"state": "ask", "item": fb.item})
