"""Light pages (issue 12 item 6), served by `leitai serve` as on a fresh machine: a cold load of the ranking board
stays under 600 KB; static files go out with hashed names, brotli/gzip and a cache lifetime of years; charts are
SVG drawn on the server with Chinese labels, their values shown on hover and on tap; the Gantt chart's labels
and the dashboard's legend never overlap, on a desktop and on a phone. bench/first_load.py measures the same
loads for every chart page."""

from __future__ import annotations

import re
import textwrap
import urllib.request

import pytest

from tests.browser.servers import leitai_server

pytestmark = pytest.mark.browser

BUDGET = 600 * 1024
YEAR = 365 * 24 * 3600

SEED = textwrap.dedent("""
    import json

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from leitai.demo.loader import build
    from leitai.tracking.models import KeyProject

    build(seed=5, months=3, end="2024-12", counties=4, zones=1, departments=4, towns_per_county=2)
    print(json.dumps({"project_unit": KeyProject.objects.order_by("code").first().unit.code}))
""")

# Every pair of boxes that intersect (by more than half a pixel: neighbours may touch).
OVERLAPS = """sel => {
  const boxes = Array.from(document.querySelectorAll(sel)).map(e => {
    const r = e.getBoundingClientRect(); return {t: e.textContent, x: r.x, y: r.y, w: r.width, h: r.height};
  });
  const out = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i], b = boxes[j];
    const dx = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
    const dy = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
    if (dx > 0.5 && dy > 0.5) out.push([a.t, b.t]);
  }
  return [boxes.length, out];
}"""


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    with leitai_server(tmp_path_factory.mktemp("light"), SEED) as server:
        yield server


def signed_in(browser, url: str, **context):
    from leitai.demo.loader import DEMO_PASSWORD

    ctx = browser.new_context(locale="zh-CN", **context)
    page = ctx.new_page()
    page.goto(url + "/accounts/login/")
    page.fill("#id_username", "kaohe")
    page.fill("#id_password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    return ctx, page


def test_a_cold_load_of_the_ranking_board_stays_under_600_kb_and_draws_its_chart_in_chinese(served, browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    sizes: dict[str, int] = {}
    urls: list[str] = []
    cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], int(e["encodedDataLength"])))
    page.on("request", lambda r: urls.append(r.url))
    page.goto(served.url + "/rankings/", wait_until="load")
    page.wait_for_timeout(500)
    chart = page.locator("#board-chart svg.lt-chart")
    assert chart.is_visible()
    text = chart.text_content()
    assert "综合得分" in text and re.search(r"1\. \S+[区县市]", text)  # the title and the units, in Chinese
    total = sum(sizes.values())
    assert 0 < total <= BUDGET, f"{total} bytes: {urls}"
    assert not any("plotly" in u for u in urls) and all(u.startswith(served.url) for u in urls)
    context.close()


def test_static_files_are_hashed_compressed_and_cached_for_a_year(served):
    html = urllib.request.urlopen(served.url + "/rankings/", timeout=10).read().decode()
    assets = sorted(set(re.findall(r'(?:src|href)="(/static/[^"]+)"', html)))
    assert any(a.endswith(".js") for a in assets) and any(a.endswith(".css") for a in assets)
    for asset in assets:
        assert re.search(r"\.[0-9a-f]{12}\.\w+$", asset), f"{asset} has no content hash in its name"
        for accept, expected in (("br, gzip", "br"), ("gzip", "gzip")):
            request = urllib.request.Request(served.url + asset, headers={"Accept-Encoding": accept})
            with urllib.request.urlopen(request, timeout=10) as response:
                headers = response.headers
                assert response.status == 200
            if asset.endswith((".js", ".css", ".svg")):
                assert headers["Content-Encoding"] == expected, (asset, accept)
            age = int(re.search(r"max-age=(\d+)", headers["Cache-Control"]).group(1))
            assert age >= YEAR and "immutable" in headers["Cache-Control"], (asset, headers["Cache-Control"])
    # The page itself names no library from elsewhere and keeps its Content-Security-Policy.
    with urllib.request.urlopen(served.url + "/rankings/", timeout=10) as response:
        assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_a_bar_shows_its_value_on_hover_and_on_tap(served, browser):
    desktop = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = desktop.new_page()
    page.goto(served.url + "/rankings/")
    first_row = page.locator("#board-table tbody tr").first
    unit = first_row.locator("td").nth(1).inner_text().strip()
    score = first_row.locator("td").nth(2).inner_text().strip()[:len("00.00")]
    tip = page.locator(".chart-tip")
    page.hover("#board-chart .lt-mark >> nth=0")
    tip.wait_for(state="visible")
    assert tip.inner_text() == f"{unit}：{score}"  # the table's own numbers
    page.mouse.move(5, 5)
    tip.wait_for(state="hidden")
    desktop.close()

    phone = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True,
                                has_touch=True)
    page = phone.new_page()
    page.goto(served.url + "/rankings/")
    bar = page.locator("#board-chart .lt-mark").nth(1)
    bar.scroll_into_view_if_needed()
    bar.tap()
    tip = page.locator(".chart-tip")
    tip.wait_for(state="visible")
    assert re.fullmatch(r"\S+：\d+\.\d\d", tip.inner_text())
    page.locator("h1").tap()  # a tap elsewhere hides it
    tip.wait_for(state="hidden")
    phone.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_gantt_labels_and_the_dashboard_legend_never_overlap(served, browser, width):
    ctx, page = signed_in(browser, served.url, viewport={"width": width, "height": 900}, has_touch=width < 500)
    page.goto(f"{served.url}/tracking/projects/map/{served.seed['project_unit']}/")
    page.wait_for_selector("#gantt svg.lt-gantt")
    months = page.eval_on_selector_all("#gantt text.lt-month", "els => els.map(e => e.textContent)")
    assert months and all(re.fullmatch(r"(\d{4}年)?\d{1,2}月", m) for m in months)  # Chinese month names
    count, overlaps = page.evaluate(OVERLAPS, "#gantt text.lt-month, #gantt text.lt-row")
    assert count > len(months) and overlaps == []
    # The page itself does not scroll sideways: a wide chart scrolls inside its card.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")

    page.goto(f"{served.url}/tracking/")
    page.wait_for_selector("#chart svg.lt-stacked")
    count, overlaps = page.evaluate(OVERLAPS, "#chart .lt-legend-item, #chart .lt-mark, #chart text.lt-x")
    assert count > 2 and overlaps == []
    ctx.close()
