"""The item workflow through services.act: only a verification closes, every action is logged once,
and the role rules hold for every persona."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leitai.core.tracking import rules as flow
from leitai.tracking import services
from leitai.tracking.models import Transition
from tests.files import image_bytes, pdf_bytes

pytestmark = pytest.mark.django_db

ACTORS = ("organizer", "reporter_a", "reporter_b", "judge", "public_user")
STEPS = st.lists(st.tuples(st.sampled_from(ACTORS), st.sampled_from(flow.ACTIONS), st.booleans()), max_size=12)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=STEPS)
def test_no_sequence_of_actions_closes_an_item_without_the_organizers_verification(
        steps, city, organizer, reporter_a, reporter_b, judge, public_user, make_item):
    users = {"organizer": organizer, "reporter_a": reporter_a, "reporter_b": reporter_b, "judge": judge,
             "public_user": public_user}
    item = make_item(city["a"], 10)
    for who, action, with_text in steps:
        before = Transition.objects.filter(item=item).count()
        state_before = item.state
        try:
            item = services.act(users[who], item, action, text="说明" if with_text else "")
        except (PermissionDenied, flow.TransitionError):
            item.refresh_from_db()
            assert item.state == state_before
            assert Transition.objects.filter(item=item).count() == before
            continue
        last = Transition.objects.filter(item=item).last()
        assert Transition.objects.filter(item=item).count() == before + 1
        assert (last.from_state, last.to_state, last.action) == (state_before, item.state, action)
        assert last.by_user == users[who]
        if item.state == flow.CLOSED:
            assert (who, action, state_before) == ("organizer", flow.VERIFY, flow.REQUESTED)
            assert item.closed_on is not None
        else:
            assert item.closed_on is None


def test_reporter_a_works_on_a_county_a_item_and_the_organizer_verifies(city, organizer, reporter_a, make_item):
    item = make_item(city["a"], 10)
    item = services.act(reporter_a, item, "start")
    item = services.act(reporter_a, item, "request_closeout", text="已完成整改，附照片")
    item = services.act(organizer, item, "verify", text="核验属实")
    assert item.state == flow.CLOSED
    assert list(item.transitions.values_list("action", flat=True)) == ["assign", "start", "request_closeout", "verify"]


@pytest.mark.parametrize("who", ["reporter_b", "judge", "public_user"])
def test_other_roles_cannot_act_on_county_as_item(who, city, request, make_item):
    item = make_item(city["a"], 10, "requested")
    user = request.getfixturevalue(who)
    for action in flow.ACTIONS:
        with pytest.raises(PermissionDenied):
            services.act(user, item, action, text="x")


def test_the_anonymous_cannot_act(city, make_item):
    from django.contrib.auth.models import AnonymousUser

    item = make_item(city["a"], 10)
    with pytest.raises(PermissionDenied):
        services.act(AnonymousUser(), item, "start")


def test_the_unit_cannot_verify_its_own_close_out_and_the_organizer_cannot_request_it(
        city, organizer, reporter_a, make_item):
    item = make_item(city["a"], 10, "requested")
    with pytest.raises(flow.TransitionError):
        services.act(reporter_a, item, "verify")
    other = make_item(city["a"], 10, "in_progress")
    with pytest.raises(flow.TransitionError):
        services.act(organizer, other, "request_closeout", text="代为申请")


def test_close_out_and_return_need_text(city, organizer, reporter_a, make_item):
    item = make_item(city["a"], 10, "in_progress")
    with pytest.raises(flow.TransitionError, match="整改情况说明"):
        services.act(reporter_a, item, "request_closeout", text="  ")
    item = services.act(reporter_a, item, "request_closeout", text="已整改")
    with pytest.raises(flow.TransitionError, match="退回理由"):
        services.act(organizer, item, "return")


def test_a_failed_review_reopens_a_closed_item_and_clears_its_close_date(city, make_item):
    item = make_item(city["a"], 10, "closed")
    item = services.reopen(item, text="回头看：现场仍有问题", by_name="市民监督员王五")
    assert item.state == flow.REOPENED and item.closed_on is None
    last = item.transitions.last()
    assert (last.action, last.by_name, last.from_state) == ("reopen", "市民监督员王五", "closed")
    with pytest.raises(flow.TransitionError):
        services.reopen(item, text="再次")


def test_evidence_files_are_attached_to_the_transition_and_photos_are_flagged(city, reporter_a, make_item):
    from django.core.files.uploadedfile import SimpleUploadedFile

    item = make_item(city["a"], 10, "in_progress")
    photo = SimpleUploadedFile("现场.jpg", image_bytes("JPEG"), content_type="image/jpeg")
    report = SimpleUploadedFile("说明.pdf", pdf_bytes(), content_type="application/pdf")
    item = services.act(reporter_a, item, "request_closeout", text="见附件", files=[photo, report])
    t = item.transitions.last()
    assert sorted((a.name, a.is_photo) for a in t.attachments.all()) == [("现场.jpg", True), ("说明.pdf", False)]


def test_codes_count_up_per_year_and_only_organizers_create_items(city, organizer, reporter_a, make_item):
    first, second = make_item(city["a"], 10), make_item(city["b"], 10)
    assert (first.code, second.code) == ("ZG-2024-00001", "ZG-2024-00002")
    with pytest.raises(PermissionDenied):
        services.create_item(reporter_a, title="自报", unit=city["a"], deadline=first.deadline)


def test_measures_are_added_marked_done_and_logged(city, organizer, reporter_a, reporter_b, make_item):
    item = make_item(city["a"], 10, measures=["排查隐患", ("建立台账", None)])
    assert list(item.measures.values_list("text", flat=True)) == ["排查隐患", "建立台账"]
    m = services.add_measure(reporter_a, item, "落实长效机制")
    services.set_measure_done(reporter_a, m, True)
    assert item.measures.get(pk=m.pk).done
    assert list(item.transitions.values_list("action", flat=True))[-2:] == ["measure_added", "measure_done"]
    with pytest.raises(PermissionDenied):
        services.add_measure(reporter_b, item, "越权")


def test_an_item_code_taken_by_a_concurrent_creation_is_skipped(city, organizer, monkeypatch):
    import datetime as dt

    from leitai.tracking.items import services as services_items
    from leitai.tracking.models import Item

    first = services.create_item(organizer, title="先到", unit=city["a"], deadline=dt.date(2099, 1, 1))
    real = services_items._next_code
    stale = iter([first.code])  # another request read the same last code a moment ago

    monkeypatch.setattr(services_items, "_next_code", lambda year: next(stale, None) or real(year))
    second = services.create_item(organizer, title="后到", unit=city["a"], deadline=dt.date(2099, 1, 1))
    assert int(second.code.rsplit("-", 1)[1]) == int(first.code.rsplit("-", 1)[1]) + 1
    assert Item.objects.get(code=second.code).title == "后到" and Item.objects.count() == 2
