"""Reads of the units themselves: heads in post, peers, people, and the units within a set (the unit pages,
which also read data and rankings, are in leitai.portal.profiles)."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Prefetch

from .models import Person, Post, Unit

# ---- heads and published ranks ------------------------------------------------------------------

def current_heads(units) -> dict[int, Post]:
    """unit id → the post of its current head (the latest one if the data holds several)."""
    posts = Post.objects.filter(unit__in=units, is_head=True, end__isnull=True).select_related("person")
    heads: dict[int, Post] = {}
    for post in posts.order_by("start"):
        heads[post.unit_id] = post
    return heads


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
