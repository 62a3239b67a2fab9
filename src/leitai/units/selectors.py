"""Reads of the units themselves: heads in post, peers, people, and the units within a set (the unit pages,
which also read data and rankings, are in leitai.portal.profiles)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from .models import Person, Post, Unit

# ---- heads and published ranks ------------------------------------------------------------------

def current_heads(units) -> dict[int, Post]:
    """unit id → the post of its current head (the latest one if the data holds several)."""
    posts = Post.objects.filter(unit__in=units, is_head=True, end__isnull=True).select_related("person")
    heads: dict[int, Post] = {}
    for post in posts.order_by("start"):
        heads[post.unit_id] = post
    return heads


def holds_on(post: Post, day: dt.date) -> bool:
    """The head-in-post rule: a post covers every day from its start to its end, both included (no end: still
    in post). Whatever happened at a unit on a day — an arena, a month's ranking (on the month's last day), a
    pledge, an item assigned — belongs to the head whose post holds on that day."""
    return post.start <= day and (post.end is None or day <= post.end)


def heads_at(units, day: dt.date) -> dict[int, Post]:
    """unit id → the post of the unit's head on `day` (the latest start when the data holds several)."""
    posts = (Post.objects.filter(unit__in=units, is_head=True, start__lte=day)
             .select_related("person").order_by("start"))
    return {p.unit_id: p for p in posts if holds_on(p, day)}


def post_on(posts, unit_id: int, day: dt.date, *, heads_only: bool = True) -> Post | None:
    """Of the given posts, the one at the unit that holds on `day` (holds_on; the latest start if several)."""
    found = None
    for post in posts:
        if post.unit_id == unit_id and (post.is_head or not heads_only) and holds_on(post, day):
            if found is None or post.start > found.start:
                found = post
    return found


# ---- the unit tree ------------------------------------------------------------------------------


# ---- one unit -----------------------------------------------------------------------------------

def head_history(unit: Unit) -> list[Post]:
    return list(unit.posts.filter(is_head=True).select_related("person").order_by("-start"))


def peers_of(unit: Unit) -> list[Unit]:
    """Units a unit may benchmark against: active units of the same kind."""
    return list(Unit.objects.filter(kind=unit.kind, active=True).exclude(pk=unit.pk))


# ---- people -------------------------------------------------------------------------------------

def people() -> list[Person]:
    posts = Post.objects.select_related("unit").order_by("-start")
    return list(Person.objects.prefetch_related(Prefetch("posts", queryset=posts)))


def within(unit_ids) -> set[int]:
    """The ids of the given units and of every unit below them (one query for the whole tree)."""
    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent in Unit.objects.values_list("id", "parent_id"):
        children[parent].append(pk)
    out, frontier = set(unit_ids), list(unit_ids)
    while frontier:
        frontier = [c for p in frontier for c in children.get(p, ()) if c not in out]
        out.update(frontier)
    return out


def person_or_404(pk: int) -> Person:
    return get_object_or_404(Person, pk=pk)


def people_by_ids(ids) -> list[Person]:
    """The people with these ids, in the order given (unknown ids are left out)."""
    found = Person.objects.in_bulk(list(ids))
    return [found[i] for i in ids if i in found]
