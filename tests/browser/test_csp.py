"""The Content-Security-Policy in Chromium: the main pages of a small demo city, served by `leitai serve`,
load and work (server-drawn charts, htmx requests, the language switch, confirmations) without a single
policy violation or script error — for the public, a judge's phone and the organizer."""

from __future__ import annotations

import json
import textwrap

import pytest

from tests.browser.servers import leitai_server
from tests.conftest import wait_for_js

pytestmark = pytest.mark.browser

SEED = textwrap.dedent("""
    import json

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from leitai.assessment.models import Assessment
    from leitai.demo.loader import build
    from leitai.rankings.models import Ranking
    from leitai.tracking.models import KeyProject
    from leitai.units.models import Unit

    summary = build(seed=5, months=3, end="2024-12", counties=4, zones=1, departments=4, towns_per_county=2)
    assessment = Assessment.objects.order_by("pk").first()
    print(json.dumps({
        "past": summary["arenas"]["past"], "upcoming": summary["arenas"]["upcoming"],
        "token": summary["arenas"]["links"][0].token,
        "county": Unit.objects.filter(kind="county").order_by("code").first().code,
        "project_unit": KeyProject.objects.order_by("code").first().unit.code,
        "ranking": Ranking.objects.order_by("pk").first().pk,
        "assessment": assessment.pk if assessment else None,
    }))
""")

WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " at " + (e.sourceFile || "") +
                          ":" + e.lineNumber);
});
"""


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    # The seed migrates (call_command above).
    with leitai_server(tmp_path_factory.mktemp("csp"), SEED) as served:
        yield served.url, served.seed, served.log


class Watched:
    """A page whose policy violations, script errors and console CSP messages are collected."""

    def __init__(self, browser, **context):
        self.context = browser.new_context(locale="zh-CN", **context)
        self.context.add_init_script(WATCH)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda e: self.errors.append(f"{self.page.url}: {e}"))
        self.page.on("console", lambda m: self.errors.append(f"{self.page.url}: {m.text}")
                     if "Content Security Policy" in m.text or "Content-Security-Policy" in m.text else None)
        self.violations: list[str] = []

    def visit(self, url: str, ready: str | None = None) -> None:
        response = self.page.goto(url)
        assert response is not None and response.status == 200, f"{url}: {response and response.status}"
        assert "script-src 'self'" in (response.headers.get("content-security-policy") or ""), url
        if ready:
            self.page.wait_for_selector(ready, timeout=15000)
        self.page.wait_for_timeout(300)
        self.collect()

    def collect(self) -> None:
        self.violations += [f"{self.page.url}: {v}" for v in self.page.evaluate("window.__violations || []")]


def test_the_main_pages_run_under_the_policy_without_a_violation(demo_server, browser):
    from leitai.demo.loader import DEMO_PASSWORD

    url, seed, log = demo_server
    public = Watched(browser, viewport={"width": 1280, "height": 900})
    for path, ready in (("/", None), ("/rankings/", "#board-chart svg.lt-chart"),
                        (f"/rankings/{seed['ranking']}/", None), ("/units/", None),
                        (f"/units/{seed['county']}/", "svg.lt-chart"),
                        ("/arena/", None), (f"/arena/{seed['past']}/results/", "#results-chart svg.lt-chart"),
                        ("/tracking/public/", None), ("/assessment/", None), ("/accounts/login/", None),
                        ("/api/v1/docs", "#swagger-ui .info")):
        public.visit(url + path, ready)
    # The language switch (data-autosubmit, site.js) still works without its inline handler.
    public.visit(url + "/rankings/", "#board-chart svg.lt-chart")
    with public.page.expect_navigation():
        public.page.select_option("select[name=language]", "en")
    assert public.page.locator("html").get_attribute("lang") == "en"
    public.collect()

    phone = Watched(browser, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    phone.visit(f"{url}/arena/j/{seed['token']}/", "#judge")

    staff = Watched(browser, viewport={"width": 1280, "height": 900})
    staff.visit(url + "/accounts/login/")
    staff.page.fill("#id_username", "kaohe")
    staff.page.fill("#id_password", DEMO_PASSWORD)
    with staff.page.expect_navigation():
        staff.page.locator("main form button[type=submit]").click()
    upcoming = seed["upcoming"]
    for path, ready in ((f"/arena/{upcoming}/console/", "#console-body"), (f"/arena/{upcoming}/screen/", "#screen"),
                        (f"/arena/{upcoming}/setup/", None), (f"/arena/{upcoming}/tokens/", None),
                        ("/data/import/", None), ("/tracking/", "svg.lt-chart"), ("/tracking/items/", None),
                        (f"/tracking/projects/map/{seed['project_unit']}/", "#gantt svg.lt-chart"),
                        ("/rankings/plans/", None), ("/admin/", None), ("/accounts/password/", None)):
        staff.visit(url + path, ready)
    if seed["assessment"]:
        staff.visit(f"{url}/assessment/{seed['assessment']}/")
    # htmx at work without eval: a console button posts and swaps the console body.
    staff.visit(f"{url}/arena/{upcoming}/console/", "#console-body")
    step = staff.page.locator("#console-body button.step").first
    assert step.count() == 1
    unit = staff.page.text_content("#console-body .focus-unit").strip()
    with staff.page.expect_response(lambda r: "/advance/" in r.url and r.request.method == "POST") as answer:
        step.click()
    assert answer.value.status == 200
    staff.page.wait_for_timeout(300)
    # The judge's phone follows through its event stream (connect-src 'self').
    wait_for_js(phone.page, f"document.getElementById('now-unit').textContent === {json.dumps(unit)}")
    # A confirmation (data-confirm) is asked before the form goes: dismissing it keeps the page.
    staff.visit(f"{url}/arena/{upcoming}/tokens/")
    asked = []
    staff.page.once("dialog", lambda d: (asked.append(d.message), d.dismiss()))
    staff.page.locator("button[name=all]").click()
    staff.page.wait_for_timeout(300)
    assert asked and "旧链接失效" in asked[0] and staff.page.url.endswith("/tokens/")
    staff.collect()

    for watched in (public, phone, staff):
        watched.collect()
        assert watched.violations == [] and watched.errors == []
        watched.context.close()
    # Nor did the judge's token reach the server's log.
    assert seed["token"] not in log.read_text(errors="replace")
