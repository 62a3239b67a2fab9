"""The pages of the receipts: the judge's phone shows the receipt after each submission and lists them (我的
回执, only their own); staff print a paper judge's; the public 核对回执 page answers only once published; the
results page shows the chain head."""

from __future__ import annotations

import pytest

from leitai.arena import services
from leitai.arena.base import chain
from leitai.arena.models import ScoreSheetRevision
from leitai.core.judging.receipts import short_head, show_receipt
from tests.arena.results.test_export_roundtrip import day  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


def test_the_phone_shows_the_receipt_and_my_receipts_lists_only_mine(arena, contestants, panel, organizer, sheet,
                                                                    stage_to, client):
    a = stage_to(contestants["A"], "scoring_open", organizer)
    token = panel.tokens["L1"]
    data = {f"s_{c}": v for c, v in sheet(8).items()} | {"client_key": "phone-1"}
    page = client.post(f"/arena/j/{token}/c/{a.pk}/submit/", data)
    code = show_receipt(ScoreSheetRevision.objects.get(client_key="phone-1").receipt)
    assert page.status_code == 200 and code in page.content.decode()
    assert "回执码：公布结果后可在“核对回执”页查验" in page.content.decode()
    # A reload of the phone page shows it again, and 我的回执 lists it.
    assert code in client.get(f"/arena/j/{token}/").content.decode()
    services.submit_sheet(panel["L2"], a, sheet(6), "other-judge")
    other = show_receipt(ScoreSheetRevision.objects.get(client_key="other-judge").receipt)
    mine = client.get(f"/arena/j/{token}/receipts/").content.decode()
    assert code in mine and other not in mine
    assert client.get("/arena/j/not-a-token/receipts/").status_code == 403


def test_paper_receipts_print_for_the_organizer_only(arena, contestants, panel, paper_judge, organizer, staff2, sheet,
                                                     stage_to, client, login):
    a = stage_to(contestants["A"], "scoring_open", organizer)
    entered = services.enter_paper_sheet(organizer, paper_judge, a, sheet(8))
    services.confirm_paper_sheet(staff2, entered)
    url = f"/arena/{arena.pk}/paper/receipts/{paper_judge.pk}/"
    assert client.get(url).status_code in (302, 403)
    login(organizer)
    page = client.get(url).content.decode()
    for rev in ScoreSheetRevision.objects.filter(sheet=entered):
        assert show_receipt(rev.receipt) in page
    assert url in client.get(f"/arena/{arena.pk}/paper/").content.decode()


def test_the_lookup_says_nothing_before_publication(arena, contestants, panel, organizer, sheet, stage_to, client):
    a = stage_to(contestants["A"], "scoring_open", organizer)
    outcome = services.submit_sheet(panel["L1"], a, sheet(8), "k")
    page = client.get(f"/arena/{arena.pk}/receipt/", {"code": show_receipt(outcome.receipt)}).content.decode()
    assert "结果公布后可查验" in page and "8.0" not in page and panel["L1"].anon_code not in page
    # The page for every arena only looks in published ones.
    page = client.get("/arena/receipt/", {"code": outcome.receipt.lower()}).content.decode()
    assert "未找到该回执" in page and panel["L1"].anon_code not in page


def test_the_lookup_shows_the_sheet_as_counted_after_publication(day, client, panel):  # noqa: F811
    l1 = panel["L1"]
    first, last = ScoreSheetRevision.objects.filter(sheet__judge=l1, sheet__contestant__unit__code="A").order_by("version")
    page = client.get(f"/arena/{day.pk}/receipt/", {"code": show_receipt(last.receipt)}).content.decode()
    assert "已计入" in page or "被去掉" in page
    assert l1.anon_code in page and "sheets.csv" in page and last.secret in page
    # The first thought, changed before scoring closed: replaced, not counted, its secret not shown.
    page = client.get("/arena/receipt/", {"code": first.receipt.lower()}).content.decode()
    assert "此版本已被第 2 版取代" in page and first.secret not in page
    # B's leaders 9, 9, 8, 6: the 6 (L4) is dropped as the lowest.
    low = ScoreSheetRevision.objects.get(sheet__judge=panel["L4"], sheet__contestant__unit__code="B")
    assert "最低分之一被去掉" in client.get("/arena/receipt/", {"code": low.receipt}).content.decode()
    assert "未找到该回执" in client.get("/arena/receipt/", {"code": "0000-0000-00"}).content.decode()
    assert "10 位" in client.get("/arena/receipt/", {"code": "12"}).content.decode()


def test_lookups_are_limited_per_address(day, client, settings):  # noqa: F811
    from leitai.arena.results import views_receipts

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "rl"}}
    codes = [client.get("/arena/receipt/", {"code": "0000-0000-00"}).status_code
             for _ in range(views_receipts.LOOKUPS_PER_MINUTE + 1)]
    assert codes[:-1] == [200] * views_receipts.LOOKUPS_PER_MINUTE and codes[-1] == 429


def test_the_results_page_shows_the_chain_head_and_the_check(day, client):  # noqa: F811
    page = client.get(f"/arena/{day.pk}/results/").content.decode()
    _seq, head = chain.head(day.pk)
    assert short_head(head) in page and head in page
    assert f"/arena/{day.pk}/receipt/" in page
    assert "/arena/receipt/" in client.get("/").content.decode()
