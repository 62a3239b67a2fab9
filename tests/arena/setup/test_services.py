"""Arena set-up services: the arena, rubric, contestants, order, panel, tokens, submissions, records."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from leitai.arena import services
from leitai.arena.day import selectors as day_selectors
from leitai.arena.models import Arena, ArenaEvent, Judge
from leitai.arena.setup import selectors as setup_selectors
from leitai.core.errors import LeitaiError
from leitai.units.models import Person, Post
from tests.files import pdf_bytes

pytestmark = pytest.mark.django_db


def test_a_new_arena_starts_with_the_template_rubric_and_the_default_panel_groups(arena):
    assert [c.name for c in arena.criteria.all()] == ["比质量", "比位次", "比创新", "比项目", "比环境", "比担当"]
    assert [(g.code, g.name, g.weight, g.trim) for g in arena.groups.all()] == [
        ("leaders", "市领导", 0.6, 1), ("public", "社会各界代表", 0.4, 2)]
    assert arena.tie_break == ["leaders"]
    rubric = services.rubric_dict(arena)
    assert rubric["criteria"][0] == {"code": "quality", "name": "比质量", "weight": 1.0, "max": 10.0, "step": 0.5}
    assert ArenaEvent.objects.filter(arena=arena).first().kind == "arena_created"


def test_the_four_aspect_template_gives_four_criteria(organizer, quarter):
    a = services.create_arena(organizer, name="局长问政", kind="director_exam", period="2024Q1", template="four")
    assert [c.name for c in a.criteria.all()] == ["站位", "重点", "措施", "成效"]


def test_only_an_organizer_can_create_an_arena(reporter_a, quarter):
    with pytest.raises(PermissionDenied):
        services.create_arena(reporter_a, name="x", kind="secretary", period=quarter)


@pytest.mark.parametrize("kwargs, fragment", [
    ({"template": "nine"}, "评分模板"), ({"kind": "party"}, "类型"), ({"bonus_rule": {"first": 2}}, "加减分规则"),
    ({"reveal_mode": "never"}, "揭晓方式"), ({"name": " "}, "名称"), ({"period": "2030Q9"}, "考核期间"),
])
def test_an_arena_with_a_bad_setting_is_refused_with_a_clear_message(organizer, quarter, kwargs, fragment):
    args = {"name": "擂台", "kind": "secretary", "period": quarter, **kwargs}
    with pytest.raises(LeitaiError) as e:
        services.create_arena(organizer, **args)
    assert fragment in e.value.zh


def test_contestants_are_presented_by_their_head_at_the_arena_date(arena, contestants, city):
    assert contestants["A"].person == city["person"] and contestants["A"].title == "区委书记"
    assert contestants["B"].person is None
    assert [c.order for c in arena.contestants.order_by("order")] == [1, 2, 3]


def test_a_head_who_left_before_the_arena_does_not_present(organizer, quarter, city):
    old = Person.objects.create(name="李四")
    Post.objects.create(person=old, unit=city["b"], title="区委书记", start=dt.date(2019, 1, 1), end=dt.date(2024, 1, 31))
    new = Person.objects.create(name="王五")
    Post.objects.create(person=new, unit=city["b"], title="区委书记", start=dt.date(2024, 2, 1))
    a = services.create_arena(organizer, name="擂台", kind="secretary", period=quarter,
                              held_at=dt.datetime(2024, 4, 10, 1, tzinfo=dt.UTC))
    (c,) = services.add_contestants(a, organizer, [city["b"]])
    assert c.person == new


def test_a_unit_cannot_contest_twice(arena, organizer, city):
    with pytest.raises(LeitaiError, match="已在参赛名单中"):
        services.add_contestants(arena, organizer, [city["a"]])


def test_a_draw_is_recorded_and_repeatable(arena, organizer):
    first = [c.unit.code for c in services.set_order(arena, organizer, "draw", seed="2024-04-10")]
    again = [c.unit.code for c in services.set_order(arena, organizer, "draw", seed="2024-04-10")]
    arena.refresh_from_db()
    assert first == again and arena.draw_seed == "2024-04-10" and arena.order_method == "draw"
    assert sorted(first) == ["A", "B", "K"]
    assert [c.unit.code for c in arena.contestants.order_by("order")] == first


def test_a_draw_without_a_seed_records_the_one_it_made(arena, organizer):
    services.set_order(arena, organizer, "draw")
    arena.refresh_from_db()
    assert len(arena.draw_seed) == 16


def test_a_manual_order_must_list_every_contestant_once(arena, organizer, contestants):
    ids = [contestants[c].pk for c in ("K", "A", "B")]
    assert [c.unit.code for c in services.set_order(arena, organizer, "manual", manual=ids)] == ["K", "A", "B"]
    with pytest.raises(LeitaiError, match="恰好"):
        services.set_order(arena, organizer, "manual", manual=ids[:2])


def test_ordering_by_ranking_needs_a_published_ranking(arena, organizer):
    with pytest.raises(LeitaiError, match="已发布的成绩单"):
        services.set_order(arena, organizer, "ranking", ranking=None)


def test_the_order_cannot_change_once_the_day_has_started(arena, organizer, contestants, stage_to):
    stage_to(contestants["A"], "on_stage", organizer)
    with pytest.raises(LeitaiError, match="已开始"):
        services.set_order(arena, organizer, "draw", seed="x")


def test_the_rubric_can_be_replaced_before_any_sheet(arena, organizer, panel):
    services.update_rubric(
        arena, organizer,
        [{"code": "stance", "name": "站位", "weight": 2, "max": 10, "step": 0.5},
         {"code": "results", "name": "成效", "weight": 3, "max": 20}],
        [{"code": "leaders", "name": "市领导", "weight": 0.7, "trim": 0},
         {"code": "public", "name": "群众代表", "weight": 0.3, "trim": 1}], ["public", "leaders"])
    arena.refresh_from_db()
    assert services.rubric_dict(arena) == {
        "criteria": [{"code": "stance", "name": "站位", "weight": 2.0, "max": 10.0, "step": 0.5},
                     {"code": "results", "name": "成效", "weight": 3.0, "max": 20.0}],
        "groups": [{"code": "leaders", "name": "市领导", "weight": 0.7, "trim": 0},
                   {"code": "public", "name": "群众代表", "weight": 0.3, "trim": 1}],
        "tie_break": ["public", "leaders"]}
    assert Judge.objects.get(pk=panel["L1"].pk).group.code == "leaders"


def test_a_bad_rubric_is_refused_naming_the_field(arena, organizer):
    with pytest.raises(LeitaiError, match="wieght"):
        services.update_rubric(arena, organizer, [{"code": "a", "wieght": 1, "max": 10}],
                               [{"code": "leaders", "weight": 1}], [])


def test_a_group_with_judges_cannot_be_dropped(arena, organizer, panel):
    with pytest.raises(LeitaiError, match="还有评委"):
        services.update_rubric(arena, organizer, [{"code": "a", "name": "甲", "max": 10}],
                               [{"code": "leaders", "name": "市领导", "weight": 1}], [])


def test_the_rubric_is_frozen_once_a_sheet_exists(arena, organizer, panel, contestants, stage_to, sheet):
    stage_to(contestants["A"], "scoring_open", organizer)
    services.submit_sheet(panel["L1"], contestants["A"], sheet(8), "k1")
    with pytest.raises(LeitaiError, match="评分规则不能再修改"):
        services.update_rubric(arena, organizer, [{"code": "a", "max": 10}], [{"code": "leaders"}, {"code": "public"}], [])


def test_judges_get_anonymous_codes_in_order_of_creation(panel):
    assert [panel[n].anon_code for n in ("L1", "L2", "L3", "P1", "P5")] == ["J001", "J002", "J003", "J004", "J008"]


def test_a_token_is_stored_only_as_its_hash_with_a_hint(panel):
    judge = Judge.objects.get(pk=panel["L1"].pk)
    raw = panel.tokens["L1"]
    assert len(raw) >= 32 and raw not in (judge.token_hash, judge.token_hint)
    assert judge.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert judge.token_hint == raw[-4:]
    assert services.judge_for_token(raw) == judge


def test_a_reissued_token_replaces_the_old_one(panel, organizer):
    old = panel.tokens["L1"]
    new = services.issue_token(panel["L1"], organizer)
    assert services.judge_for_token(old) is None
    assert services.judge_for_token(new).pk == panel["L1"].pk


def test_a_revoked_token_finds_no_judge_until_a_new_one_is_issued(panel, organizer):
    services.revoke_token(panel["P1"], organizer)
    assert services.judge_for_token(panel.tokens["P1"]) is None
    assert services.judge_for_token(services.issue_token(panel["P1"], organizer)).name == "P1"


@pytest.mark.parametrize("token", ["", "nope", "x" * 500, None, 12])
def test_an_unknown_token_finds_no_judge(panel, token):
    assert services.judge_for_token(token) is None


def test_a_paper_judge_gets_no_link(paper_judge, organizer):
    with pytest.raises(LeitaiError, match="纸质"):
        services.issue_token(paper_judge, organizer)


def test_a_judge_is_recused_from_their_own_unit_the_units_around_it_and_listed_units(arena, organizer, city,
                                                                                      contestants):
    town = services.add_judge(arena, organizer, group="public", name="街道代表", unit=city["town"])
    listed = services.add_judge(arena, organizer, group="public", name="亲属", recused_units=[city["b"]])
    free = services.add_judge(arena, organizer, group="public", name="市民")
    assert services.is_recused(town, contestants["A"]) and not services.is_recused(town, contestants["B"])
    assert services.is_recused(listed, contestants["B"]) and not services.is_recused(listed, contestants["K"])
    assert not any(services.is_recused(free, c) for c in contestants.values())


def test_a_reporter_submits_their_units_materials_with_a_checkable_pledge(arena, contestants, reporter_a):
    pdf = SimpleUploadedFile("汇报.pdf", pdf_bytes(), content_type="application/pdf")
    sub = services.save_submission(contestants["A"], reporter_a, [
        {"kind": "highlight", "text": "新能源汽车产业链"},
        {"kind": "shortcoming", "text": "工业投资增速偏低"},
        {"kind": "measure", "text": "每月引进重点项目10个"},
        {"kind": "pledge", "text": "上半年开工83个项目", "indicator": "inv", "comparison": "ge",
         "target_value": 83, "deadline": "2024-04"},
    ], slides=pdf)
    assert [i.kind for i in sub.items.order_by("sort_order")] == ["highlight", "shortcoming", "measure", "pledge"]
    pledge = sub.items.get(kind="pledge")
    assert (pledge.indicator.code, pledge.comparison, pledge.target_value, pledge.deadline.code) == ("inv", "ge", 83, "2024-04")
    assert sub.slides_name == "汇报.pdf" and sub.slides.name.endswith(".pdf")


def test_a_reporter_cannot_submit_for_another_county(contestants, reporter_b):
    with pytest.raises(PermissionDenied):
        services.save_submission(contestants["A"], reporter_b, [{"kind": "highlight", "text": "x"}])


@pytest.mark.parametrize("item, fragment", [
    ({"kind": "wish", "text": "x"}, "类别"), ({"kind": "highlight", "text": ""}, "内容不能为空"),
    ({"kind": "pledge", "text": "x", "indicator": "inv"}, "比较方式"),
    ({"kind": "pledge", "text": "x", "indicator": "nope", "comparison": "ge", "target_value": 1}, "指标 nope"),
])
def test_a_bad_submission_line_is_refused_naming_the_line(contestants, reporter_a, item, fragment):
    with pytest.raises(LeitaiError) as e:
        services.save_submission(contestants["A"], reporter_a, [{"kind": "highlight", "text": "ok"}, item])
    assert "第 2 条" in e.value.zh and fragment in e.value.zh


def test_slides_must_be_a_pdf_within_the_size_limit(arena, contestants, reporter_a):
    fake = SimpleUploadedFile("a.pdf", b"PK\x03\x04zip", content_type="application/pdf")
    with pytest.raises(LeitaiError, match="不是可接受的类型（只接受 PDF"):
        services.save_submission(contestants["A"], reporter_a, [], slides=fake)
    Arena.objects.filter(pk=arena.pk).update(max_slides_mb=1)
    big = SimpleUploadedFile("a.pdf", b"%PDF-" + b"0" * (1024 * 1024), content_type="application/pdf")
    with pytest.raises(LeitaiError, match="1 MB"):
        services.save_submission(contestants["A"], reporter_a, [], slides=big)


def test_locked_or_late_submissions_are_refused(arena, organizer, contestants, reporter_a):
    services.save_submission(contestants["A"], reporter_a, [{"kind": "highlight", "text": "x"}])
    assert services.lock_submissions(arena, organizer) == 3
    with pytest.raises(LeitaiError, match="锁定"):
        services.save_submission(contestants["A"], reporter_a, [])
    Arena.objects.filter(pk=arena.pk).update(submission_deadline=dt.datetime(2024, 1, 1, tzinfo=dt.UTC))
    contestants["B"].submission.locked = False
    contestants["B"].submission.save()
    with pytest.raises(LeitaiError, match="截止"):
        services.save_submission(contestants["B"], organizer, [])


def test_every_setup_step_is_logged_with_consecutive_seq(arena, panel):
    seqs = list(ArenaEvent.objects.filter(arena=arena).values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
    kinds = set(ArenaEvent.objects.filter(arena=arena).values_list("kind", flat=True))
    assert {"arena_created", "contestants_added", "judge_added", "token_issued"} <= kinds
    # The log never holds a token.
    payloads = " ".join(str(p) for p in ArenaEvent.objects.values_list("payload", flat=True))
    assert not any(tok in payloads for tok in panel.tokens.values())



def test_changes_in_one_transaction_announce_the_arena_once(arena, contestants, organizer, monkeypatch,
                                                            django_capture_on_commit_callbacks):
    import leitai.live
    from leitai.arena import services

    sent = []
    monkeypatch.setattr(leitai.live, "publish", lambda channel, data: sent.append(data))
    with django_capture_on_commit_callbacks(execute=True):
        services.announce(arena)
        services.record_question(contestants["A"], organizer, "问题一", asker="市长")
        services.record_comment(contestants["A"], organizer, "点评一", author="市长")
    assert len(sent) == 1


def test_the_public_state_never_labels_older_data_with_a_newer_event(arena, contestants, organizer, stage_to,
                                                                     monkeypatch):
    """The seq is read before everything else: a reveal committed while the state is being built can make the
    data newer than its seq, never the seq newer than its data (the hub would take the reveal for a count)."""

    stage_to(contestants["A"], "scoring_closed", organizer)
    real = setup_selectors.contestants
    calls = []

    def contestants_after_a_reveal(a):
        if not calls:
            calls.append(1)
            stage_to(contestants["A"], "revealed", organizer)  # lands between the seq and the rows
        return real(a)

    monkeypatch.setattr(day_selectors, "contestants", contestants_after_a_reveal)
    state = day_selectors.public_state(arena)
    assert state["current"]["stage"] == "revealed"
    assert state["seq"] < day_selectors.latest_seq(arena)  # the old seq: the reveal's own state will be a new one


def test_a_town_cannot_join_an_arena_counted_into_a_county_plan(city, organizer, quarter):
    """Refused at set-up with the reason and the way out, never at publication."""
    from leitai.arena.models import Arena
    from tests.rankings.support import make_plan

    plan = make_plan(organizer)
    town_arena = services.create_arena(organizer, name="镇街亮绩赛场", kind="town", period=quarter, plan=plan)
    with pytest.raises(LeitaiError) as e:
        services.add_contestants(town_arena, organizer, [city["a"], city["town"]])
    assert "东城街道 不参加考核方案“县市区综合考核”的排名" in e.value.zh and "不选方案" in e.value.zh
    assert town_arena.contestants.count() == 0
    free = services.create_arena(organizer, name="镇街亮绩赛场（不计入方案）", kind="town", period=quarter)
    assert [c.unit.code for c in services.add_contestants(free, organizer, [city["town"]])] == ["A01"]
    assert Arena.objects.count() == 2
