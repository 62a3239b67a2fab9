"""The question queue's pages (day/floor.py): the judge's 我要提问 on the phone, and the queue in the organizer's
console (give the floor, record and end a turn, take someone off, add an asker without a phone)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from leitai.accounts.permissions import organizer_required
from leitai.arena.base.pages import msg
from leitai.arena.day import floor, selectors
from leitai.arena.day.models import FloorRequest
from leitai.arena.setup import selectors as setup_selectors
from leitai.core.errors import LeitaiError
from leitai.core.judging.flow import QUESTIONS


def judge_block_context(token: str, judge, contestant, error: str = "") -> dict:
    """The phone's queue block: the judge's own open request for the contestant on stage, if any."""
    hand = selectors.own_hand(judge, contestant) if contestant is not None else None
    # The block can reach the phone before the live state that lists the hand: the phone keeps the hand until
    # a state at least this new says it is gone (floor.js).
    return {"token": token, "contestant": contestant, "hand": hand, "floor_error": error,
            "seq": selectors.latest_seq(judge.arena),
            "hands_open": " ".join(floor.HANDS_OPEN), "show": contestant is not None and contestant.stage in floor.HANDS_OPEN}


def _judge_block(request, token: str, judge, contestant, error: str = ""):
    return render(request, "arena/_floor_judge.html", judge_block_context(token, judge, contestant, error))


@never_cache
@require_http_methods(["GET", "POST"])
def judge_hand(request, token: str):
    """The phone's queue block (GET, loaded with the page); POST raises (action=raise) or lowers
    (action=withdraw) the judge's hand for the contestant on stage and answers the block again."""
    judge = setup_selectors.judge_for_token(token)
    if judge is None:  # an unknown or revoked link
        return render(request, "arena/live_judge_denied_partial.html", status=403)
    if request.method == "GET":
        return _judge_block(request, token, judge, selectors.current_contestant(selectors.console_contestants(judge.arena)))
    try:
        contestant = selectors.contestant_in_arena_or_404(int(request.POST.get("contestant", "")), judge.arena_id)
    except ValueError:
        raise Http404 from None
    try:
        if request.POST.get("action") == "withdraw":
            floor.withdraw_hand(judge, contestant)
        else:
            floor.raise_hand(judge, contestant)
    except LeitaiError as e:
        return _judge_block(request, token, judge, contestant, msg(e))
    return _judge_block(request, token, judge, contestant)


def console_block(request, contestant, error: str = ""):
    """The queue of the contestant in focus, for the console (a partial). `sig` is what floor.js compares with
    the live state's queue to know when to fetch the block again."""
    queue = selectors.floor_queue(contestant)
    speaking = next((h for h in queue if h.status == FloorRequest.Status.SPEAKING), None)
    waiting = [h for h in queue if h.status == FloorRequest.Status.WAITING]
    return render(request, "arena/_floor_console.html", {
        "contestant": contestant, "speaking": speaking, "waiting": waiting, "floor_error": error,
        "sig": f"{speaking.pk if speaking else ''}|{','.join(str(h.pk) for h in waiting)}",
        "hands_open": contestant.stage in floor.HANDS_OPEN, "questions": contestant.stage == QUESTIONS,
        "ask_seconds": contestant.arena.ask_seconds})


@organizer_required
@require_GET
def console_queue(request, contestant_id: int):
    return console_block(request, selectors.contestant_in_arena_or_404(contestant_id))


ACTIONS = {
    "give": lambda c, request, hand: floor.give_floor(c, hand, request.user),
    "end": lambda c, request, hand: floor.end_floor(c, hand, request.user, request.POST.get("text", ""),
                                                    request.POST.get("answer", "")),
    "drop": lambda c, request, hand: floor.drop(c, hand, request.user),
    "add": lambda c, request, hand: floor.add_asker(c, request.user, request.POST.get("asker", "")),
}


@organizer_required
@require_POST
def console_action(request, contestant_id: int, action: str):
    """give / end / drop a request (POST hand=<id>), or add an asker (POST asker=<name>)."""
    contestant = selectors.contestant_in_arena_or_404(contestant_id)
    if action not in ACTIONS:
        raise Http404
    try:
        hand = int(request.POST.get("hand", "0") or 0)
    except ValueError:
        hand = 0
    try:
        ACTIONS[action](contestant, request, hand)
    except LeitaiError as e:
        contestant.refresh_from_db()
        return console_block(request, contestant, msg(e))
    contestant.refresh_from_db()
    return console_block(request, contestant)
