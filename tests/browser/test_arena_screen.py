"""The big screen in Chromium at 1920×1080 and 1280×720 with 3, 12 and 30 contestants: at every stage of the day
(waiting, the stars-and-flags board, speech, slides, questions, scoring, a revealed result, every result,
published) nothing overflows the viewport, no two labels overlap and every contestant is reached across the
pages (turned with PageDown, as a clicker does, and by themselves).

The pages are those the server renders (the state in the page); the stream is cut off, since the test server
(WSGI) cannot stream — test_arena_live follows the stream."""

from __future__ import annotations

import datetime as dt
import json
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import PASSWORD, wait_for_js
from tests.files import pdf_bytes

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = ({"width": 1920, "height": 1080}, {"width": 1280, "height": 720})
# Real names are short (东城区) or long (…经济技术开发区管理委员会): both kinds, every few units.
# The first contestant (on stage in most checks) has the longest.
LONG = ("高新技术产业开发区（红岛经济区）管委会", "胶州湾经济技术开发区管理委员会", "青岛西海岸新区（黄岛区）")

# Problems of the page as it stands: anything outside the viewport or a clipping box taller than its content
# allows, and labels whose boxes overlap. Cells of a row clip their own content (ellipsis), so the flags and
# the star names inside a cell are not measured, the cell is.
PROBLEMS = """() => {
  const out = [], W = innerWidth, H = innerHeight, de = document.documentElement;
  if (de.scrollHeight > H || de.scrollWidth > W) out.push(`document ${de.scrollWidth}×${de.scrollHeight}`);
  const shown = (e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== "hidden";
  for (const e of document.querySelectorAll("#screen *")) {
    if (!shown(e) || e.closest(".r-flags > *, .r-stars > *, .r-bar > *")) continue;
    const r = e.getBoundingClientRect();
    if (r.width && r.height && (r.top < -1 || r.left < -1 || r.bottom > H + 1 || r.right > W + 1)) {
      out.push(`outside: ${e.id || e.className} ${Math.round(r.right)}×${Math.round(r.bottom)}`);
    }
  }
  for (const e of document.querySelectorAll(".stage-panel, .side-panel, .board, .rows")) {
    if (shown(e) && e.scrollHeight > e.clientHeight + 1) out.push(`clipped: ${e.id || e.className} ${e.scrollHeight}>${e.clientHeight}`);
  }
  const labels = [...document.querySelectorAll(
    ".r-name, .r-rank, .r-num, .r-score, .r-stage, .r-move, .stage-unit, .stage-person, .stage-order, .stage-label, " +
    ".countdown, .count, .stage-result, .panel-label, .pager-info, .board-title, .board-sub, .screen-title, .screen-kind"
  )].filter(shown).map((e) => [e, e.getBoundingClientRect()]).filter(([e, r]) => r.width && r.height);
  for (let i = 0; i < labels.length; i++) {
    for (let j = i + 1; j < labels.length; j++) {
      const [a, p] = labels[i], [b, q] = labels[j];
      if (a.contains(b) || b.contains(a)) continue;
      const w = Math.min(p.right, q.right) - Math.max(p.left, q.left), h = Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top);
      if (w > 0.5 && h > 0.5) out.push(`overlap: ${a.className} "${a.textContent}" / ${b.className} "${b.textContent}"`);
    }
  }
  return out;
}"""

# The names on the page shown now, with the list's page and count of pages.
SHOWN = """() => {
  const list = [...document.querySelectorAll(".rows")].find((l) => l.getClientRects().length);
  if (!list) return null;
  const names = [...list.querySelectorAll(".r-name")].filter((e) => e.getClientRects().length).map((e) => e.title);
  return {names, page: Number(list.dataset.page || 1), pages: Number(list.dataset.pages || 1), kind: list.dataset.kind};
}"""


def _units(n: int):
    from leitai.units.models import Person, Post, Unit

    units = []
    for i in range(n):
        name = LONG[i // 4 % len(LONG)] if i % 4 == 0 else f"第{i + 1}区"
        u = Unit.objects.create(code=f"S{i:02d}", name=name if name not in {x.name for x in units} else f"{name}{i}",
                                kind="county", sort_order=10 + i)
        Post.objects.create(person=Person.objects.create(name=f"书记{i + 1}"), unit=u, title="区委书记",
                            start=dt.date(2020, 1, 1))
        units.append(u)
    return units


def _ranking(city, organizer, units):
    """A published ranking of 2024-03 over the units: stars on each indicator, red/yellow/category flags."""
    from leitai.indicators.models import Observation
    from leitai.rankings.services import compute_ranking, publish_ranking
    from tests.rankings.support import make_plan

    plan = make_plan(organizer)
    period = city["periods"]["2024-03"]
    for i, u in enumerate(units):
        for code, value in (("gdp", 3 + (i * 7) % 11), ("inv", 100 + (i * 37) % 300), ("pm25", 30 + (i * 13) % 40)):
            Observation.objects.create(unit=u, indicator=city[code], period=period, value=value)
    publish_ranking(compute_ranking(plan.current_version, period, user=organizer), user=organizer)
    return plan


@pytest.fixture
def hall(city, organizer, settings, tmp_path):
    """hall(n) → an arena of n contestants (a published ranking for its plan, two phone judges, slides for the
    first contestant)."""
    from leitai.arena import services
    from leitai.indicators.services import ensure_period

    settings.MEDIA_ROOT = tmp_path / "media"

    def build(n: int):
        units = _units(n)
        plan = _ranking(city, organizer, units)
        arena = services.create_arena(organizer, name="2024年第一季度县市区书记擂台赛暨重点工作比拼现场会", kind="secretary",
                                      period=ensure_period("2024Q1"), plan=plan, bonus_rule={"1": 2, "last": -1})
        services.add_contestants(arena, organizer, units)
        judges = [services.add_judge(arena, organizer, group=g, name=f"{g}1") for g in ("leaders", "public")]
        for j in judges:
            services.issue_token(j, organizer)
        cs = list(arena.contestants.select_related("unit").order_by("order"))
        services.save_submission(cs[0], organizer, [{"kind": "highlight", "text": "亮点"}],
                                 slides=SimpleUploadedFile("汇报.pdf", pdf_bytes(pages=2)))
        return arena, cs, judges

    return build


def _screens(browser, live_server, arena, sizes=SIZES):
    """One page per size, signed in as the organizer (the screen is public only once the arena is live)."""
    pages = []
    for size in sizes:
        context = browser.new_context(locale="zh-CN", viewport=size)
        page = context.new_page()
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", "organizer")
        page.fill("#id_password", PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_load_state()
        page.route("**/stream/", lambda route: route.abort())
        page.goto(f"{live_server.url}/arena/{arena.pk}/screen/")
        pages.append(page)
    return pages


def _look(pages, view: str, names: list[str] | None, ready: str = "true") -> None:
    """Reload each screen and check it: the view, no problem on any page of its list, and every name reached."""
    for page in pages:
        size = page.viewport_size
        page.reload()
        wait_for_js(page, f"document.body.dataset.view === {json.dumps(view)} && ({ready})")
        seen: set[str] = set()
        if os.environ.get("SHOTS"):  # SHOTS=<folder>: keep a picture of every check, to look at
            page.screenshot(path=f"{os.environ['SHOTS']}/{len(os.listdir(os.environ['SHOTS'])):02d}-{view}-{size['width']}.png")
        shown = page.evaluate(SHOWN)
        for _ in range(shown["pages"] if shown else 1):
            problems = page.evaluate(PROBLEMS)
            assert problems == [], (size, view, problems)
            shown = page.evaluate(SHOWN)
            seen.update(shown["names"] if shown else [])
            page.keyboard.press("PageDown")
        if names is not None:
            assert seen == set(names), (size, view, set(names) - seen)
            assert shown["pages"] == 1 or len(names) > 8, (size, view, shown)


@pytest.mark.parametrize("n", [3, 12, 30])
def test_every_stage_of_the_big_screen_fits_both_projectors(n, live_server, browser, hall, organizer):
    from leitai.arena import services
    from leitai.arena.models import Arena
    from tests.arena.conftest import move

    arena, cs, judges = hall(n)
    names = [c.unit.name for c in cs]
    pages = _screens(browser, live_server, arena)

    _look(pages, "day", names)  # waiting: the order of presentation
    services.show_on_screen(arena, organizer, "stars")
    _look(pages, "stars", names, "document.querySelectorAll('#board-list .flag').length > 0")

    first = move(cs[0], "speech", organizer)  # calling the first contestant takes the board down
    _look(pages, "day", names, "document.getElementById('countdown').textContent.includes(':')")
    services.show_slides(first, organizer, 1)
    _look(pages, "day", None, "document.getElementById('slide-img').complete && "
                              "document.getElementById('slide-img').naturalWidth > 0")
    services.show_slides(first, organizer, 0)
    move(first, "questions", organizer)
    _look(pages, "day", names)
    move(first, "scoring_open", organizer)
    services.submit_sheet(judges[0], first, {cr.code: 8 for cr in arena.criteria.all()}, "k0")
    _look(pages, "day", names, "document.getElementById('count-submitted').textContent === '1'")

    for i, c in enumerate(cs[:-1]):
        c = move(c, "scoring_open", organizer)
        for j in judges:
            services.submit_sheet(j, c, {cr.code: 5 + (i * 3 + j.pk) % 5 for cr in arena.criteria.all()}, f"{j.pk}-{c.pk}")
        move(c, "revealed", organizer)
    # a revealed result: the contestant's score on the stage, the results so far beside it
    _look(pages, "day", names[:-1], "!document.getElementById('stage-result').hidden")

    last = move(cs[-1], "scoring_open", organizer)
    for j in judges:
        services.submit_sheet(j, last, {cr.code: 9 for cr in arena.criteria.all()}, f"{j.pk}-{last.pk}")
    move(last, "revealed", organizer)
    _look(pages, "final", names)
    services.publish_results(Arena.objects.get(pk=arena.pk), organizer)
    _look(pages, "final", names, "document.getElementById('board-title').textContent.includes('已发布')")
    for page in pages:
        page.context.close()


def test_long_lists_turn_their_pages_by_themselves(live_server, browser, hall):
    arena, cs, _ = hall(30)
    [page] = _screens(browser, live_server, arena, SIZES[1:])
    page.clock.install()
    page.reload()
    first = page.evaluate(SHOWN)
    assert first["pages"] > 1 and first["page"] == 1
    page.clock.run_for(8100)
    second = page.evaluate(SHOWN)
    assert second["page"] == 2 and not set(second["names"]) & set(first["names"])
    page.context.close()


def test_every_open_screen_follows_the_console_to_the_stars_board_and_back(live_server, browser, hall):
    from leitai.arena.day.selectors import public_state

    arena, cs, _ = hall(3)
    [screen] = _screens(browser, live_server, arena, SIZES[:1])
    console = screen.context.new_page()

    # The test server cannot stream: the screen's stream is played here from the server's own state (as the live
    # layer sends it); the page reconnects after `retry` ms and gets the current state, as after a dropped line.
    def stream(route):
        body = f"retry: 200\nevent: state\ndata: {json.dumps(public_state(arena))}\n\n"
        route.fulfill(status=200, headers={"Content-Type": "text/event-stream"}, body=body)

    screen.unroute("**/stream/")
    screen.route("**/stream/", stream)
    screen.reload()
    wait_for_js(screen, "document.body.dataset.view === 'day'")
    screen.evaluate("window.marker = 'kept'")
    console.route("**/stream/", lambda route: route.abort())
    console.goto(f"{live_server.url}/arena/{arena.pk}/console/")
    console.get_by_role("button", name="大屏通报摘星夺旗").click()
    wait_for_js(screen, "document.body.dataset.view === 'stars' && document.querySelectorAll('#board-list .row').length === 3")
    console.get_by_role("button", name="大屏收起摘星夺旗通报").click()
    wait_for_js(screen, "document.body.dataset.view === 'day'")
    assert screen.evaluate("window.marker") == "kept"  # never reloaded
    screen.context.close()
