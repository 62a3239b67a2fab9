"""First load of the chart pages in Chromium: requests, bytes transferred and time to the first chart.

Each page is opened cold (a new browser context: empty cache) after signing in as the organizer, so every page
that person may see is measured. Bytes are what went over the wire (CDP `Network.loadingFinished`
encodedDataLength: headers and compressed bodies); "ms to chart" runs from the start of the navigation until the
page's first chart is visible (a plotly `.main-svg` before, a server-drawn `svg.lt-chart` now).

Run against a running demo (`leitai demo --port 8137`):
    python bench/first_load.py http://127.0.0.1:8137 [--runs 3]
Prints one table (median of the runs per page) and the machine's load (`uptime`).
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import time

from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
CHART = ".main-svg, svg.lt-chart"
CHART_DRAWN = """sel => Array.from(document.querySelectorAll(sel)).some(e => {
  const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; })"""
USER, PASSWORD = "kaohe", "leitai-demo-2024"


def first_link(request, base: str, index: str, pattern: str) -> str | None:
    """The first link on `index` matching `pattern` whose page has a chart (the demo's ids are not fixed)."""
    html = request.get(base + index).text()
    for path in dict.fromkeys(re.findall(pattern, html)):
        if re.search(r'id="[\w-]*(chart|gantt)"', request.get(base + path).text()):
            return path
    return None


def pages_to_measure(base: str, request) -> list[tuple[str, str]]:
    pages = [("成绩单 ranking board", "/rankings/")]
    for label, index, pattern in [
        ("排名详情 ranking detail", "/rankings/", r"/rankings/\d+/(?=\")"),
        ("年度考核 assessment board", "/assessment/", r"/assessment/\d+/(?=\")"),
        ("擂台赛结果 arena results", "/arena/", r"/arena/\d+/results/(?=\")"),
        ("督办 tracking dashboard", "/tracking/", r"/tracking/(?=\")"),
        ("挂图作战 battle map", "/tracking/projects/", r"/tracking/projects/map/[\w-]+/(?=\")"),
        ("单位 unit page", "/rankings/", r"/units/[\w-]+/(?=\")"),
    ]:
        path = index if pattern.startswith(r"/tracking/(?") else first_link(request, base, index, pattern)
        if path:
            pages.append((label, path))
    return pages


def measure(browser, base: str, path: str, cookies: list) -> tuple[int, int, float]:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.add_cookies(cookies)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    sizes: dict[str, int] = {}
    cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], int(e["encodedDataLength"])))
    started = time.perf_counter()
    page.goto(base + path, wait_until="commit")
    try:
        page.wait_for_function(CHART_DRAWN, arg=CHART, timeout=30_000, polling="raf")
        to_chart = (time.perf_counter() - started) * 1000
    except PlaywrightTimeout:
        to_chart = float("nan")  # no chart on this page

    page.wait_for_load_state("load")
    page.wait_for_timeout(300)  # late responses (favicon) are part of the load too
    context.close()
    return len(sizes), sum(sizes.values()), to_chart


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", nargs="?", default="http://127.0.0.1:8137")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", default="", help="measure only the pages whose path contains this")
    args = parser.parse_args()
    base = args.base.rstrip("/")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        login = browser.new_context(locale="zh-CN")
        page = login.new_page()
        page.goto(base + "/accounts/login/")
        page.fill("input[name=username]", USER)
        page.fill("input[name=password]", PASSWORD)
        with page.expect_navigation():
            page.locator("form button[type=submit], form input[type=submit]").last.click()
        cookies = login.cookies()
        pages = pages_to_measure(base, login.request)
        login.close()
        print(f"{'page':32} {'path':34} {'requests':>8} {'bytes':>10} {'KB':>8} {'ms to chart':>11}")
        for label, path in [(label, path) for label, path in pages if args.only in path]:
            runs = [measure(browser, base, path, cookies) for _ in range(args.runs)]
            requests = runs[-1][0]
            size = int(statistics.median(r[1] for r in runs))
            ms = statistics.median(r[2] for r in runs)
            print(f"{label:32} {path:34} {requests:>8} {size:>10} {size / 1024:>8.0f} {ms:>11.0f}")
        browser.close()
    print("uptime:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())


if __name__ == "__main__":
    main()
