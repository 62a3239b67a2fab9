"""Published means frozen, everywhere: as a superuser through the admin, every published object (an arena and its
judges, sheets, questions, comments, submissions and ledger points; rankings; assessments; closed items) and
every piece of history (posts, import batches, targets, transitions, the arena's log, corrections, the audit log)
refuses a deletion, and all but posts and targets (corrected, with the old value in the audit log) a change; the
history models refuse deletion in the ORM too."""

from __future__ import annotations

import pytest
from django.contrib.admin.sites import site
from django.urls import reverse

from leitai.audit.kept import HistoryKept


@pytest.fixture
def superuser(demo, client):
    from leitai.accounts.models import User

    user = User.objects.get(username="kaohe")
    user.is_superuser = True
    user.save()
    client.force_login(user)
    return client


def _frozen_objects():
    from leitai.arena.models import Arena, ArenaEvent, Comment, Judge, Question, ScoreSheet, Submission
    from leitai.arena.results.corrections import correct_points
    from leitai.assessment.models import Assessment
    from leitai.audit.chain import seal
    from leitai.audit.models import Entry
    from leitai.indicators.models import AnnualTarget, ImportBatch
    from leitai.rankings.models import Adjustment, Ranking
    from leitai.tracking.models import Item, Transition
    from leitai.units.models import Post

    arena = Arena.objects.get(status="published")
    organizer = arena.published_by
    correction = correct_points(arena, organizer, arena.result["rows"][0]["unit"], 0.5, "测试更正")
    batch = ImportBatch.objects.create(file_name="data.xlsx", status="committed", created_by=organizer)
    seal()
    return {
        "published arena": arena,
        "its judge": Judge.objects.filter(arena=arena).first(),
        "its score sheet": ScoreSheet.objects.filter(arena=arena).first(),
        "its question": Question.objects.filter(contestant__arena=arena).first(),
        "its comment": Comment.objects.filter(contestant__arena=arena).first(),
        "its submission": Submission.objects.filter(contestant__arena=arena).first(),
        "its ledger points": Adjustment.objects.filter(source=f"arena:{arena.pk}").first(),
        "its event log": ArenaEvent.objects.filter(arena=arena).first(),
        "its correction": correction,
        "published ranking": Ranking.objects.filter(status="published").first(),
        "published assessment": Assessment.objects.filter(status="published").first(),
        "closed item": Item.objects.filter(state="closed").first(),
        "item transition": Transition.objects.first(),
        "post": Post.objects.first(),
        "import batch": batch,
        "annual target": AnnualTarget.objects.first(),
        "audit entry": Entry.objects.first(),
    }


CORRECTABLE = {"post", "annual target"}


def _urls(obj) -> tuple[str, str]:
    meta = obj._meta
    return (reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk]),
            reverse(f"admin:{meta.app_label}_{meta.model_name}_delete", args=[obj.pk]))


def _state(obj) -> dict:
    fresh = type(obj)._base_manager.get(pk=obj.pk)
    return {f.attname: f.value_to_string(fresh) if hasattr(getattr(fresh, f.attname), "storage") else
            getattr(fresh, f.attname) for f in obj._meta.concrete_fields if f.attname not in ("updated_at",)}


def test_every_published_object_and_every_history_row_refuses_change_and_delete_in_the_admin(superuser):
    objects = _frozen_objects()
    refused = {}
    for name, obj in objects.items():
        assert obj is not None, f"the demo has no {name}"
        assert type(obj) in site._registry, f"{name}: not in the admin"
        change, delete = _urls(obj)
        before = _state(obj)
        # A form post as a superuser would send it: every field's current value, one of them changed.
        data = {k: v for k, v in before.items() if isinstance(v, str | int | float)}
        data.update({"name": "改过的名称", "text": "改过的内容", "points": "9", "value": "99", "title": "改过",
                     "post": "yes"})
        refused[name] = (superuser.post(change, data).status_code, superuser.post(delete, {"post": "yes"}).status_code)
        assert _state(obj) == before, f"{name} changed"
    # A post (an appointment ends by its end date) and a target may be corrected — the audit log keeps the old
    # value — but never deleted; everything else refuses both.
    assert {n: r[1] for n, r in refused.items()} == {name: 403 for name in objects}
    assert {n: r[0] for n, r in refused.items() if n not in CORRECTABLE} == {n: 403 for n in objects if n not in CORRECTABLE}


def test_the_admin_adds_no_question_or_comment_and_keeps_a_published_arenas_contestants(superuser):
    from leitai.arena.models import Arena

    assert superuser.post(reverse("admin:arena_question_add"), {"text": "x"}).status_code == 403
    assert superuser.post(reverse("admin:arena_comment_add"), {"text": "x"}).status_code == 403
    arena = Arena.objects.get(status="published")
    page = superuser.get(reverse("admin:arena_arena_change", args=[arena.pk])).content.decode()
    assert 'name="_save"' not in page  # shown, not editable


def test_history_refuses_deletion_in_the_orm(demo):
    from leitai.indicators.models import AnnualTarget, ObservationRevision
    from leitai.rankings.models import Ranking
    from leitai.tracking.models import Transition
    from leitai.units.models import Post

    for model in (Post, Transition, AnnualTarget, ObservationRevision, Ranking):
        with pytest.raises(HistoryKept):
            model.objects.first().delete()
        with pytest.raises(HistoryKept):
            model.objects.all().delete()
        assert model.objects.exists()
