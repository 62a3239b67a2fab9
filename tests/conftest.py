"""Shared fixtures: a tiny city and the personas every web test uses.

Personas: organizer (考核办), reporter_a (county A's reporter), reporter_b (county B's reporter),
judge, public (a signed-in member of the public). Anonymous visitors use the plain `client`.
"""

from __future__ import annotations

import datetime as dt

import pytest

PASSWORD = "correct-horse-42"
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# ---- which tests touch the database --------------------------------------------------------------
# The PostgreSQL pass of scripts/test.sh runs only the tests that reach the test database (`--db-tests-only`):
# the others (the pure core, the spreadsheet reader, subprocesses with their own SQLite file) do exactly the
# same thing whatever DATABASE_URL says, and already ran in the SQLite pass.
DB_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback",
               "live_server", "django_db_setup"}


def pytest_addoption(parser):
    parser.addoption("--db-tests-only", action="store_true",
                     help="run only the tests that use the test database (the PostgreSQL pass)")


def uses_database(item) -> bool:
    return item.get_closest_marker("django_db") is not None or bool(DB_FIXTURES & set(getattr(item, "fixturenames", ())))


def pytest_collection_modifyitems(config, items):
    if not config.getoption("--db-tests-only"):
        return
    kept = [item for item in items if uses_database(item)]
    skipped = [item for item in items if not uses_database(item)]
    if skipped:
        config.hook.pytest_deselected(items=skipped)
        items[:] = kept


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    # Argon2 is the production hasher (tested in tests/accounts/test_accounts.py); MD5 keeps the suite quick.
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(autouse=True, scope="session")
def _queue_runs_at_once():
    """huey's immediate mode: a queued task (an import's check or write) runs at once, in the caller, so tests
    stay synchronous. tests/commands/test_worker.py runs the real worker beside `leitai serve`."""
    from leitai.queue import huey

    huey.immediate = True
    yield
    huey.immediate = False


@pytest.fixture(autouse=True)
def _process_actor_is_the_system():
    """A command run in-process (CliRunner) makes the process's audit actor `cli:<user>`; the next test starts
    as a fresh process would, with "system"."""
    yield
    from leitai.audit.context import assume

    assume(name="system", via="")


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """A request in English (or translation.activate) leaves English active in the worker's thread; the next
    test starts in the default language, Chinese, as a fresh process would."""
    yield
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _unpaced_counts(settings):
    """Judges' submissions publish the live state at once (no pacing: tests read it right after)."""
    settings.LEITAI_LIVE_COUNTS_INTERVAL = 0


@pytest.fixture
def clock(settings):
    """The one frozen clock: `clock(day)` moves every clock (Django's, datetime's, time's) to noon of that day
    in the site's time zone and lets it tick, until the test ends. Code under test reads the time as usual."""
    from zoneinfo import ZoneInfo

    import time_machine

    travels = []

    def travel_to(day: dt.date) -> None:
        moment = dt.datetime.combine(day, dt.time(12), tzinfo=ZoneInfo(settings.TIME_ZONE))
        travel = time_machine.travel(moment, tick=True)
        travel.start()
        travels.append(travel)

    yield travel_to
    for travel in reversed(travels):
        travel.stop()


SMALL_DEMO = {"seed": 7, "months": 3, "end": "2024-02", "counties": 3, "zones": 1, "departments": 4,
              "towns_per_county": 2}


@pytest.fixture(scope="module")
def demo_build(django_db_setup, django_db_blocker):
    """The small demo city with its two arenas (SMALL_DEMO), built once for a test module.

    It is built inside a transaction that is rolled back after the module's last test; each test asks for `db`
    too and runs in a savepoint of that transaction, so whatever a test changes is rolled back before the next
    one, as usual. Not for transactional or live-server tests: they would flush it."""
    from django.db import transaction
    from django.test import override_settings

    from leitai.demo.loader import build

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
                summary = build(**SMALL_DEMO)
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield summary
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def demo(demo_build, db):
    """The module's small demo city (see demo_build), for one test."""
    return demo_build


@pytest.fixture
def city(db):
    """A city with two counties (A with a town), one department, three indicators and two months."""
    from leitai.indicators.models import Category, Indicator, Period
    from leitai.units.models import Person, Post, Unit

    root = Unit.objects.create(code="C", name="示范市", kind="city")
    a = Unit.objects.create(code="A", name="东城区", kind="county", parent=root, sort_order=1)
    b = Unit.objects.create(code="B", name="西城区", kind="county", parent=root, sort_order=2)
    c = Unit.objects.create(code="K", name="南山县", kind="county", parent=root, sort_order=3)
    town = Unit.objects.create(code="A01", name="东城街道", kind="town", parent=a)
    dept = Unit.objects.create(code="D01", name="市发展改革委", kind="department", parent=root)
    econ = Category.objects.create(code="econ", name="经济发展", sort_order=1)
    green = Category.objects.create(code="green", name="生态环境", sort_order=2)
    gdp = Indicator.objects.create(code="gdp", name="地区生产总值增速", measure="%", category=econ,
                                   applies_to=["county"], value_type="growth", plausible_min=-30, plausible_max=50)
    inv = Indicator.objects.create(code="inv", name="固定资产投资", measure="亿元", category=econ,
                                   applies_to=["county"], value_type="ytd", plausible_min=0, plausible_max=5000)
    pm = Indicator.objects.create(code="pm25", name="PM2.5 浓度", measure="微克/立方米", direction=-1, category=green,
                                  applies_to=["county"], plausible_min=0, plausible_max=500)
    periods = {}
    for code, m in (("2024-03", 3), ("2024-04", 4)):
        start = dt.date(2024, m, 1)
        end = dt.date(2024, m, 31 if m == 3 else 30)
        periods[code] = Period.objects.create(code=code, kind="month", year=2024, number=m, start=start, end=end)
    person = Person.objects.create(name="张三")
    Post.objects.create(person=person, unit=a, title="区委书记", start=dt.date(2021, 6, 1))
    return {"root": root, "a": a, "b": b, "c": c, "town": town, "dept": dept, "gdp": gdp, "inv": inv, "pm25": pm,
            "econ": econ, "green": green, "periods": periods, "person": person}


def _user(django_user_model, username, role, unit=None, **extra):
    return django_user_model.objects.create_user(username=username, password=PASSWORD, role=role, unit=unit, **extra)


@pytest.fixture
def organizer(city, django_user_model):
    return _user(django_user_model, "organizer", "organizer", is_staff=True, display_name="考核办")


@pytest.fixture
def reporter_a(city, django_user_model):
    return _user(django_user_model, "reporter_a", "reporter", city["a"], display_name="东城区填报员")


@pytest.fixture
def reporter_b(city, django_user_model):
    return _user(django_user_model, "reporter_b", "reporter", city["b"], display_name="西城区填报员")


@pytest.fixture
def judge(city, django_user_model):
    return _user(django_user_model, "judge", "judge")


@pytest.fixture
def public_user(city, django_user_model):
    return _user(django_user_model, "citizen", "public")


@pytest.fixture
def login(client):
    """login(user) → a client signed in as that user (Chinese by default)."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


# ---- browser tests -----------------------------------------------------------------------------
# Debian's Chromium driven by Playwright (never `playwright install`); flags from STACK-NOTES.md.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module. Playwright's sync API runs an event loop in this thread, so the
    Django ORM calls made by fixtures must be allowed to run beside it."""
    import os

    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def wait_for_js(page, expression: str, timeout: float = 15.0) -> None:
    """Wait until a JavaScript expression is true on the page, polled from here.

    Not Playwright's wait_for_function: its polling compiles the expression with eval inside the page, which
    the Content-Security-Policy (script-src 'self', no 'unsafe-eval') forbids. page.evaluate goes through the
    DevTools protocol, which the policy does not govern."""
    import time

    deadline = time.monotonic() + timeout
    while not page.evaluate(f"() => Boolean({expression})"):
        if time.monotonic() > deadline:
            raise AssertionError(f"not true within {timeout} s: {expression}")
        time.sleep(0.05)
