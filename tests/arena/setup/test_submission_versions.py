"""Editing a submission keeps every version: each save is numbered and stored whole, the page lists them, and a
submission saved before versions were kept gets its state as found as version 1."""

from __future__ import annotations

import pytest
from django.urls import reverse

from leitai.arena import services
from leitai.arena.models import Submission, SubmissionItem, SubmissionVersion

pytestmark = pytest.mark.django_db


def test_every_save_is_kept_as_a_version(contestants, reporter_a, organizer, login, city):
    c = contestants["A"]
    services.save_submission(c, reporter_a, [{"kind": "highlight", "text": "新建产业园"},
                                             {"kind": "shortcoming", "text": "工业投资下降"}])
    services.save_submission(c, reporter_a, [{"kind": "highlight", "text": "新建产业园二期"},
                                             {"kind": "pledge", "text": "工业投资增速不低于 8%", "indicator": "inv",
                                              "comparison": "ge", "target_value": 8, "deadline": "2024-03"}])
    versions = list(SubmissionVersion.objects.filter(submission__contestant=c).order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert [(i["kind"], i["text"]) for i in versions[0].items] == [("highlight", "新建产业园"),
                                                                    ("shortcoming", "工业投资下降")]
    assert {i["kind"] for i in versions[1].items} == {"highlight", "pledge"}
    pledge = next(i for i in versions[1].items if i["kind"] == "pledge")
    assert pledge["indicator"] == "inv" and pledge["target_value"] == 8 and pledge["deadline"] == "2024-03"
    assert versions[0].saved_by == reporter_a
    # the lines in force are the last version's; the first is still there, on the page too
    assert set(SubmissionItem.objects.filter(submission__contestant=c).values_list("text", flat=True)) == {
        "新建产业园二期", "工业投资增速不低于 8%"}
    page = login(reporter_a).get(reverse("arena:submission", args=[c.pk])).content.decode()
    assert "历次保存的版本" in page and "第 1 版" in page and "工业投资下降" in page


def test_a_submission_saved_before_versions_were_kept_keeps_its_old_state_as_version_1(contestants, reporter_a):
    c = contestants["A"]
    old = Submission.objects.create(contestant=c, updated_by=reporter_a)
    SubmissionItem.objects.create(submission=old, kind="highlight", text="旧材料", sort_order=1)
    services.save_submission(c, reporter_a, [{"kind": "highlight", "text": "新材料"}])
    assert [(v.number, [i["text"] for i in v.items]) for v in old.versions.order_by("number")] == [
        (1, ["旧材料"]), (2, ["新材料"])]


def test_versions_are_never_deleted(contestants, reporter_a):
    from leitai.audit.kept import HistoryKept

    services.save_submission(contestants["A"], reporter_a, [{"kind": "highlight", "text": "x"}])
    version = SubmissionVersion.objects.get()
    with pytest.raises(HistoryKept):
        version.delete()
    with pytest.raises(HistoryKept):
        SubmissionVersion.objects.all().delete()
