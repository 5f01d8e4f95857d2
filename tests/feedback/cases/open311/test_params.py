"""Reading Open311 parameters (pure): filters with the spec's defaults and limits, and the POST form."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from feedback.cases.open311.formats import TAIPEI
from feedback.cases.open311.params import (
    DESCRIPTION_MAX,
    MAX_REQUESTS,
    district_in_address,
    has_markup,
    parse_moment,
    read_filters,
    read_submission,
)

NOW = datetime(2026, 12, 2, 4, 0, tzinfo=UTC)
DISTRICTS = ["基隆市中正區", "基隆市信義區", "新北市汐止區", "臺北市信義區", "新北市瑞芳區"]
GOOD = {"service_code": "complaint", "lat": "25.13", "long": "121.74", "description": "漏水"}


def texts(problems: list) -> list[str]:
    return [str(problem.description) for problem in problems]


def test_no_filter_means_the_last_90_days_and_at_most_1000() -> None:
    filters, problems = read_filters({}, NOW)
    assert problems == []
    assert (filters.start, filters.end, filters.limit) == (NOW - timedelta(days=90), NOW, MAX_REQUESTS)


def test_an_empty_parameter_counts_as_absent() -> None:
    empty = {"service_request_id": "", "service_code": " ", "start_date": "", "end_date": "", "status": ""}
    assert read_filters(empty, NOW) == read_filters({}, NOW)


def test_ids_override_every_other_filter_and_are_normalised() -> None:
    filters, problems = read_filters(
        {
            "service_request_id": "1151202-0007, 1151202 0008,1151202-0007",
            "status": "bogus",
            "start_date": "x",
        },
        NOW,
    )
    assert problems == []
    assert filters.ids == ("1151202-0007", "1151202-0008")
    assert (filters.start, filters.end, filters.statuses, filters.codes) == (None, None, (), ())


def test_an_id_that_cannot_be_a_case_number_is_named() -> None:
    _filters, problems = read_filters({"service_request_id": "1151202-0007,abc"}, NOW)
    assert [problem.code for problem in problems] == [400]
    assert "abc" in texts(problems)[0]


def test_codes_and_statuses_are_comma_lists() -> None:
    filters, problems = read_filters({"service_code": "complaint,inquiry", "status": "open,CLOSED"}, NOW)
    assert problems == []
    assert (filters.codes, filters.statuses) == (("complaint", "inquiry"), ("open", "closed"))


def test_a_status_other_than_open_or_closed_is_refused() -> None:
    _filters, problems = read_filters({"status": "open,pending"}, NOW)
    assert [problem.code for problem in problems] == [400]
    assert "open" in texts(problems)[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-01-31T09:00:00+08:00", datetime(2026, 1, 31, 9, tzinfo=TAIPEI)),
        ("2026-01-31T01:00:00Z", datetime(2026, 1, 31, 1, tzinfo=UTC)),
        ("2026-01-31T09:00", datetime(2026, 1, 31, 9, tzinfo=TAIPEI)),
        ("2026-01-31", datetime(2026, 1, 31, tzinfo=TAIPEI)),
    ],
)
def test_dates_are_read_as_iso_8601_in_taipei_when_no_zone_is_given(text: str, expected: datetime) -> None:
    assert parse_moment(text) == expected


@pytest.mark.parametrize(
    "text", ["yesterday", "2026-02-30", "31/01/2026", "2026-01-31T25:00:00Z", "1e9", "2026-1-3"]
)
def test_a_bad_date_is_none(text: str) -> None:
    assert parse_moment(text) is None


def test_a_bad_date_is_refused_naming_the_parameter() -> None:
    _filters, problems = read_filters({"start_date": "2026-13-01", "end_date": "soon"}, NOW)
    assert [problem.code for problem in problems] == [400, 400]
    assert "start_date" in texts(problems)[0]
    assert "end_date" in texts(problems)[1]
    assert "ISO 8601" in texts(problems)[0]


def test_a_span_over_90_days_is_refused() -> None:
    _filters, problems = read_filters({"start_date": "2026-01-01", "end_date": "2026-04-11"}, NOW)  # 100 days
    assert [problem.code for problem in problems] == [400]
    assert "90" in texts(problems)[0]


def test_whole_days_count_whole_so_90_days_pass_and_91_do_not() -> None:
    filters, problems = read_filters({"start_date": "2026-01-01", "end_date": "2026-03-31"}, NOW)
    assert problems == []
    assert filters.end == datetime(2026, 3, 31, 23, 59, 59, 999999, tzinfo=TAIPEI)
    _filters, problems = read_filters({"start_date": "2026-01-01", "end_date": "2026-04-01"}, NOW)
    assert len(problems) == 1


def test_one_end_alone_reaches_90_days_to_the_other_side() -> None:
    filters, _problems = read_filters({"start_date": "2026-01-01T00:00:00+08:00"}, NOW)
    assert filters.end == datetime(2026, 4, 1, tzinfo=TAIPEI)
    filters, _problems = read_filters({"end_date": "2026-04-01T00:00:00+08:00"}, NOW)
    assert filters.start == datetime(2026, 1, 1, tzinfo=TAIPEI)


def test_a_start_after_the_end_is_refused() -> None:
    _filters, problems = read_filters({"start_date": "2026-02-01", "end_date": "2026-01-01"}, NOW)
    assert len(problems) == 1
    assert "start_date" in texts(problems)[0]


def test_a_good_submission_is_read() -> None:
    submission, problems = read_submission(
        {**GOOD, "email": " Ya.Ting@Example.org ", "first_name": "雅婷", "description": "  漏水\n很久  "}
    )
    assert problems == []
    assert submission is not None
    assert (submission.latitude, submission.longitude) == (25.13, 121.74)
    assert submission.description == "漏水\n很久"
    assert submission.email == "Ya.Ting@example.org"


def test_every_problem_of_a_form_is_reported_at_once() -> None:
    submission, problems = read_submission({"email": "not-an-address", "phone": "0" * 31})
    assert submission is None
    found = texts(problems)
    assert len(found) == 5, found  # service_code, location, description, phone, email
    assert all(problem.code == 400 for problem in problems)


@pytest.mark.parametrize(
    "location",
    [
        {"address_string": "基隆市信義區信二路266號"},
        {"lat": "25.13", "long": "121.74"},
        {"lat": "-90", "long": "180"},
    ],
)
def test_a_location_is_coordinates_or_an_address(location: dict[str, str]) -> None:
    form = {"service_code": "complaint", "description": "漏水", **location}
    assert read_submission(form)[1] == []


@pytest.mark.parametrize(
    "location",
    [
        {},
        {"lat": "25.13"},
        {"long": "121.74"},
        {"lat": "north", "long": "121.74"},
        {"lat": "91", "long": "121.74"},
        {"lat": "nan", "long": "121.74"},
        {"lat": "25", "long": "inf"},
        {"address_id": "A-123"},
    ],
)
def test_a_missing_or_bad_location_is_refused(location: dict[str, str]) -> None:
    _submission, problems = read_submission({"service_code": "complaint", "description": "漏水", **location})
    assert len(problems) == 1
    assert problems[0].code == 400


def test_an_address_id_alone_is_explained() -> None:
    _submission, problems = read_submission({"service_code": "c", "description": "d", "address_id": "7"})
    assert "address_id" in texts(problems)[0]


def test_the_description_is_required_and_at_most_4000_characters() -> None:
    assert read_submission({**GOOD, "description": "水" * DESCRIPTION_MAX})[1] == []
    _submission, problems = read_submission({**GOOD, "description": "水" * (DESCRIPTION_MAX + 1)})
    assert len(problems) == 1
    assert "4000" in texts(problems)[0]
    _submission, problems = read_submission({**GOOD, "description": "   "})
    assert len(problems) == 1
    assert "description" in texts(problems)[0]


@pytest.mark.parametrize(
    "text",
    [
        "<b>漏水</b>",
        "漏水<br>",
        "<script>alert(1)</script>",
        "<!-- x -->",
        "<a href='x'>連結</a>",
        "</p>",
        "<?php echo 1 ?>",
    ],
)
def test_html_in_the_description_is_refused(text: str) -> None:
    assert has_markup(text)
    _submission, problems = read_submission({**GOOD, "description": text})
    assert len(problems) == 1
    assert "HTML" in texts(problems)[0]


@pytest.mark.parametrize("text", ["水壓 < 1 公斤", "x<1 且 y>2", "3 > 2", "<<不是標籤>>", "5 <= 6"])
def test_text_with_angle_brackets_is_not_html(text: str) -> None:
    assert not has_markup(text)


def test_attributes_are_refused_since_no_service_defines_any() -> None:
    _submission, problems = read_submission({**GOOD, "attribute[depth]": "3", "attribute[kinds][]": "a"})
    assert len(problems) == 2
    assert "depth" in texts(problems)[0]
    assert "kinds" in texts(problems)[1]


@pytest.mark.parametrize(
    ("address", "district"),
    [
        ("基隆市信義區信二路266號", "基隆市信義區"),
        ("台北市信義區市府路1號", "臺北市信義區"),
        ("新北市瑞芳區", "新北市瑞芳區"),
        ("汐止區大同路一段", "新北市汐止區"),  # the city left out, one district alone fits
        ("信義區信二路", ""),  # 基隆市 or 臺北市: not guessed
        ("宜蘭縣頭城鎮", ""),
        ("", ""),
    ],
)
def test_the_district_an_address_names(address: str, district: str) -> None:
    assert district_in_address(address, DISTRICTS) == district


@given(st.text(max_size=60))
def test_any_text_names_a_known_district_or_none(address: str) -> None:
    assert district_in_address(address, DISTRICTS) in {"", *DISTRICTS}
