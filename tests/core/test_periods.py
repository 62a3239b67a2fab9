"""Period codes and the Chinese labels statistics offices print."""

from __future__ import annotations

import pytest

from leitai.core.errors import PeriodError
from leitai.core.periods import PeriodInfo, label, parse


def test_a_month_is_labelled_as_a_year_to_date_range_when_asked():
    assert label("2024-04", ytd=True) == "2024年1-4月"
    assert label("2024-04") == "2024年4月"
    assert label("2024-01", ytd=True) == "2024年1月"


def test_quarters_and_years_get_their_chinese_labels():
    assert label("2024Q1") == "2024年第一季度"
    assert label("2024Q4") == "2024年第四季度"
    assert label("2024") == "2024年"


def test_english_labels_are_available():
    assert label("2024-04", ytd=True, lang="en") == "Jan–Apr 2024"
    assert label("2024Q2", lang="en") == "Q2 2024"


@pytest.mark.parametrize("text, code", [
    ("2024-04", "2024-04"), ("2024-4", "2024-04"), ("2024年4月", "2024-04"), ("2024年1-4月", "2024-04"),
    ("2024Q1", "2024Q1"), ("2024q3", "2024Q3"), ("2024年第一季度", "2024Q1"), ("2024年第3季度", "2024Q3"),
    ("2024年二季度", "2024Q2"), ("2024", "2024"), ("2024年", "2024"), ("2024年度", "2024"), (" 2024-12 ", "2024-12"),
])
def test_codes_and_chinese_forms_are_parsed(text, code):
    assert parse(text).code == code


@pytest.mark.parametrize("text", ["2024-13", "2024-00", "April", "2024Q5", "", "1800"])
def test_unreadable_periods_raise_a_bilingual_error(text):
    with pytest.raises(PeriodError) as err:
        parse(text)
    assert err.value.zh != err.value.en


def test_previous_steps_back_across_the_year_boundary():
    assert parse("2024-01").previous().code == "2023-12"
    assert parse("2024-05").previous().code == "2024-04"
    assert parse("2024Q1").previous().code == "2023Q4"
    assert parse("2024Q3").previous().code == "2024Q2"
    assert parse("2024").previous().code == "2023"
    assert parse("2024-04").same_period_last_year().code == "2023-04"


def test_a_period_knows_its_dates_and_the_share_of_the_year_elapsed():
    p = parse("2024-02")
    assert (p.start.isoformat(), p.end.isoformat()) == ("2024-02-01", "2024-02-29")
    assert parse("2024Q2").year_fraction == 0.5
    assert parse("2024-06").year_fraction == 0.5
    assert parse("2024").last_month == 12
    assert PeriodInfo(2024, "month", 3) < PeriodInfo(2024, "month", 4)


def test_spreadsheet_dates_are_read_in_the_forms_offices_write():
    import datetime as dt

    import pytest

    from leitai.core.dates import parse_day

    for text in ("2024-05-31", "2024/5/31", "2024.5.31", "2024年5月31日", " 2024 年 5 月 31 日 ", "２０２４-０５-３１"):
        assert parse_day(text) == dt.date(2024, 5, 31), text
    assert parse_day(dt.datetime(2024, 5, 31, 8)) == dt.date(2024, 5, 31)
    assert parse_day("") is None and parse_day(None) is None
    for bad in ("下个月", "2024-02-30", "31/5/2024"):
        with pytest.raises(ValueError):
            parse_day(bad)


def test_a_token_is_stored_only_as_its_hash():
    from leitai.core.tokens import hash_token, new_token

    raw = new_token()
    assert len(raw) == 32 and hash_token(raw) == hash_token(raw) != raw and len(hash_token(raw)) == 64
