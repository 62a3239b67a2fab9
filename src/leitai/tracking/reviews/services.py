"""Follow-up reviews (回头看) by citizen supervisors and the raiser's answer link: a "not satisfied"
verdict or a "not solved" answer reopens the closed item through items.services.reopen. The reads (a
round's coverage and satisfaction, the items awaiting an answer) are in reviews.selectors."""

from __future__ import annotations

import secrets

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from leitai import audit
from leitai.core.errors import LeitaiError
from leitai.core.judging.draw import draw_order
from leitai.core.tokens import hash_token, new_token
from leitai.core.tracking import rules as flow
from leitai.uploads import IMAGES, check_uploads

from ..items import services as item_services
from ..models import Attachment, Feedback, Item, ReviewAssignment, ReviewRound
from .selectors import SUPERVISOR

# Each follow-up review photo at most this size.
PHOTO_MB = 10

Verdict = ReviewAssignment.Verdict


def _name(user) -> str:
    return (getattr(user, "display_name", "") or user.get_username())[:100]


def create_round(user, name, *, method="all", sample_size=None, seed=None, supervisors, items=None) -> ReviewRound:
    """A review round over all closed items (or `items`), or a seeded sample of them, with supervisors
    assigned round-robin in the drawn order. The seed is recorded so anyone can repeat the draw."""
    if not user.is_organizer:
        raise PermissionDenied
    name = str(name or "").strip()
    if not name:
        raise LeitaiError("请填写批次名称", "A round needs a name")
    supervisors = list(supervisors)
    if not supervisors:
        raise LeitaiError("请至少选择一名监督员", "Choose at least one supervisor")
    if any(s.role != SUPERVISOR for s in supervisors):
        raise LeitaiError("只有“监督员”角色的用户可以参加回头看", "Only users with the supervisor role can review")
    pool = Item.objects.filter(state=flow.CLOSED) if items is None else Item.objects.filter(
        pk__in=[i.pk for i in items], state=flow.CLOSED)
    by_code = {i.code: i for i in pool}
    if not by_code:
        raise LeitaiError("没有已销号的事项可供回头看", "There are no closed items to review")
    if method == "all":
        chosen, seed, sample_size = sorted(by_code), "", None
    elif method == "sample":
        try:
            sample_size = int(sample_size)
        except (TypeError, ValueError):
            raise LeitaiError("抽样需要填写抽取数量", "A sample needs a size")
        if not 1 <= sample_size <= len(by_code):
            raise LeitaiError(f"抽取数量应在 1 到 {len(by_code)} 之间", f"The sample size must be 1 to {len(by_code)}")
        seed = str(seed).strip() if seed not in (None, "") else secrets.token_hex(8)
        chosen = draw_order(list(by_code), seed)[:sample_size]
    else:
        raise LeitaiError(f"未知的抽取方式“{method}”", f"Unknown method '{method}'")
    with transaction.atomic():
        rnd = ReviewRound.objects.create(name=name[:100], method=method, sample_size=sample_size, seed=seed,
                                         created_by=user)
        assigned = ReviewAssignment.objects.bulk_create([
            ReviewAssignment(round=rnd, item=by_code[code], supervisor=supervisors[n % len(supervisors)])
            for n, code in enumerate(chosen)])
        audit.record_batch(ReviewAssignment, "create", [{"id": a.pk, "round": rnd.pk, "item": a.item_id,
                                                         "supervisor": a.supervisor_id} for a in assigned])
    return rnd


def record_verdict(user, assignment: ReviewAssignment, verdict, comment="", photos=()) -> ReviewAssignment:
    """The assigned supervisor's verdict, once, with comments and photos; "not satisfied" reopens the item."""
    if not user.is_authenticated or user.role != SUPERVISOR or assignment.supervisor_id != user.pk:
        raise PermissionDenied
    if verdict not in Verdict.values:
        raise LeitaiError("请选择评价：满意、基本满意或不满意", "Choose a verdict: satisfied, basic or not satisfied")
    comment = str(comment or "").strip()
    if verdict == Verdict.NOT and not comment:
        raise LeitaiError("选择“不满意”时请写明理由", "Say why when not satisfied")
    check_uploads(photos, IMAGES, PHOTO_MB)  # before anything is stored
    with transaction.atomic():
        assignment = ReviewAssignment.objects.select_for_update().select_related("item", "round").get(pk=assignment.pk)
        if assignment.done_at is not None:
            raise LeitaiError("该事项已评价，不能重复提交", "This review has already been recorded")
        assignment.verdict, assignment.comment, assignment.done_at = verdict, comment, timezone.now()
        assignment.save(update_fields=["verdict", "comment", "done_at"])
        for f in photos or ():
            Attachment.objects.create(item=assignment.item, review=assignment, file=f, name=str(f.name)[:200],
                                      is_photo=True, uploaded_by=user)
        if verdict == Verdict.NOT and assignment.item.state == flow.CLOSED:
            item_services.reopen(assignment.item, text=f"回头看“{assignment.round.name}”不满意：{comment}",
                            text_en=f"Follow-up review '{assignment.round.name}': not satisfied: {comment}",
                            by_name=_name(user), user=user)
    return assignment


# ---- the raiser's answer -----------------------------------------------------------------------

def issue_feedback_link(item: Item) -> str:
    """A one-time token for the enterprise or citizen who raised a closed item (only the hash is stored)."""
    if not item.raised_by:
        raise LeitaiError("该事项没有提出人，无需反馈", "This item was not raised by an enterprise or citizen")
    if item.state != flow.CLOSED:
        raise LeitaiError("事项销号后才能请提出人反馈", "Ask the raiser only after the item is closed")
    raw = new_token()
    Feedback.objects.create(item=item, token_hash=hash_token(raw))
    return raw


def answer_feedback(raw_token: str, solved: bool, comment: str = "") -> Feedback:
    """The raiser's answer, once; "not solved" reopens the item."""
    comment = str(comment or "").strip()
    with transaction.atomic():
        fb = Feedback.objects.select_for_update().filter(token_hash=hash_token(raw_token)).first()
        if fb is None:
            raise LeitaiError("链接无效", "Unknown link")
        if fb.answered_at is not None:
            raise LeitaiError("该链接已经使用过，感谢您的反馈", "This link has already been used: thank you")
        fb.solved, fb.comment, fb.answered_at = bool(solved), comment, timezone.now()
        fb.save(update_fields=["solved", "comment", "answered_at"])
        item = Item.objects.get(pk=fb.item_id)
        if not solved and item.state == flow.CLOSED:
            item_services.reopen(item, text="提出人反馈问题未解决" + (f"：{comment}" if comment else ""),
                            text_en="The one who raised it says the problem is not solved" + (f": {comment}" if comment else ""),
                            by_name=item.raised_by)
    return fb
