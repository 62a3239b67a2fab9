"""Follow-up review pages (回头看): rounds for the organizer, a supervisor's phone page, and the raiser's
answer page reached by a one-time link without an account."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from leitai.accounts.permissions import organizer_required
from leitai.core.errors import LeitaiError
from leitai.lang import page_lang as _lang

from . import services_reviews as sr
from .models import Attachment, Item, ReviewAssignment, ReviewRound


class RoundForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("批次名称"), max_length=100)
    method = forms.ChoiceField(label=gettext_lazy("抽取方式"),
                               choices=[("all", gettext_lazy("全部已销号事项")), ("sample", gettext_lazy("随机抽样"))])
    sample_size = forms.IntegerField(label=gettext_lazy("抽取数量"), min_value=1, required=False)
    seed = forms.CharField(label=gettext_lazy("抽样种子（留空则自动生成）"), max_length=64, required=False)
    supervisors = forms.ModelMultipleChoiceField(label=gettext_lazy("监督员"), queryset=None,
                                                 widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supervisors"].queryset = get_user_model().objects.filter(role=sr.SUPERVISOR).order_by("username")


@organizer_required
def reviews(request):
    """Rounds, the form to start one, and closed items whose raiser has not yet been asked."""
    form = RoundForm(request.POST or None)
    if request.method == "POST" and request.POST.get("action") == "feedback":
        item = get_object_or_404(Item, code=request.POST.get("item", ""))
        try:
            token = sr.issue_feedback_link(item)
        except LeitaiError as exc:
            messages.error(request, exc.message(_lang()))
        else:
            link = request.build_absolute_uri(reverse("tracking:feedback", args=[token]))
            messages.success(request, _("请将此链接发给 %(who)s（仅显示一次）：%(link)s") % {"who": item.raised_by, "link": link})
        return redirect("tracking:reviews")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rnd = sr.create_round(request.user, data["name"], method=data["method"], sample_size=data["sample_size"],
                                  seed=data["seed"] or None, supervisors=list(data["supervisors"]))
        except LeitaiError as exc:
            form.add_error(None, exc.message(_lang()))
        else:
            return redirect("tracking:review_round", pk=rnd.pk)
    rounds = ReviewRound.objects.select_related("created_by").order_by("-created_at")
    return render(request, "tracking/reviews_list.html",
                  {"form": form, "rounds": rounds, "awaiting": sr.awaiting_feedback()[:50]})


@organizer_required
def review_round(request, pk):
    """A round's assignments with verdicts, and coverage and satisfaction per unit."""
    rnd = get_object_or_404(ReviewRound, pk=pk)
    assignments = rnd.assignments.select_related("item", "item__unit", "supervisor")
    return render(request, "tracking/reviews_round.html",
                  {"round": rnd, "assignments": assignments, "summary": sr.round_summary(rnd)})


@organizer_required
def export_round(request, pk):
    """A round's assignments, verdicts and per-unit figures as .xlsx."""
    from . import io
    from .views_io import _xlsx

    rnd = get_object_or_404(ReviewRound, pk=pk)
    assignments = rnd.assignments.select_related("item", "item__unit", "supervisor").order_by("item__code")
    return _xlsx(io.review_round_xlsx(rnd, assignments, sr.round_summary(rnd)), f"review-{rnd.pk}.xlsx")


@login_required
def my_reviews(request):
    """A citizen supervisor's phone page: their assignments, the close-out evidence, and the verdict form."""
    if request.user.role != sr.SUPERVISOR:
        raise PermissionDenied
    if request.method == "POST":
        assignment = get_object_or_404(ReviewAssignment, pk=request.POST.get("assignment") or 0)
        try:
            sr.record_verdict(request.user, assignment, request.POST.get("verdict", ""),
                              request.POST.get("comment", ""), request.FILES.getlist("photos"))
        except LeitaiError as exc:
            messages.error(request, exc.message(_lang()))
        else:
            messages.success(request, _("评价已提交，谢谢！"))
        return redirect("tracking:my_reviews")
    mine = list(ReviewAssignment.objects.filter(supervisor=request.user)
                .select_related("item", "item__unit", "round").order_by("done_at", "round", "item"))
    photos = {}
    for a in Attachment.objects.filter(item__in=[m.item_id for m in mine], transition__isnull=False,
                                       is_photo=True):
        photos.setdefault(a.item_id, []).append(a)
    for m in mine:
        m.evidence = photos.get(m.item_id, [])
    return render(request, "tracking/reviews_mine.html",
                  {"pending": [m for m in mine if m.done_at is None], "done": [m for m in mine if m.done_at],
                   "verdicts": ReviewAssignment.Verdict.choices})


def feedback(request, token):
    """The raiser's page, no account needed: is the problem really solved? Works once."""
    fb = sr.feedback_for(token)
    if fb is None or fb.answered_at is not None:
        return render(request, "tracking/reviews_feedback.html", {"state": "used" if fb else "unknown"})
    if request.method == "POST" and request.POST.get("solved") in ("yes", "no"):
        try:
            sr.answer_feedback(token, request.POST["solved"] == "yes", request.POST.get("comment", ""))
        except LeitaiError:
            return render(request, "tracking/reviews_feedback.html", {"state": "used"})
        return render(request, "tracking/reviews_feedback.html", {"state": "thanks"})
    return render(request, "tracking/reviews_feedback.html", {"state": "ask", "item": fb.item})
