"""The open dataset's rows of survey figures: hand-computed figures, suppression and its secondary rule."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from feedback.surveys.case_surveys import ASPECTS as CASE_ASPECTS
from feedback.surveys.open_data_rows import (
    ASPECTS,
    COLUMNS,
    SUPPRESSION_THRESHOLD,
    CounterFact,
    OfficeLabel,
    SurveyFact,
    build_rows,
    last_closed_month,
    month_of,
    month_start,
    months_from,
    next_month,
    previous_month,
    suppress_parts,
)

OFFICES = {1: OfficeLabel("KL", "基隆服務所"), 2: OfficeLabel("XZ", "汐止營運所")}


def surveys(
    office_id: int, month: str, overall: list[int | None], **aspects: list[int | None]
) -> list[SurveyFact]:
    """One fact per overall answer (None: not answered), with the aspects given by position."""
    facts = []
    for index, score in enumerate(overall):
        given_aspects = {name: values[index] for name, values in aspects.items() if index < len(values)}
        facts.append(SurveyFact(office_id, month, score, given_aspects if score is not None else {}))
    return facts


def counter(office_id: int, month: str, channel: str, scores: list[int]) -> list[CounterFact]:
    return [CounterFact(office_id, month, channel, score) for score in scores]


def fixture_facts() -> tuple[list[SurveyFact], list[CounterFact]]:
    case_facts = [
        # KL, September: 8 sent, 6 answered.
        *surveys(
            1,
            "2026-09",
            [5, 4, 4, 3, 5, 2, None, None],
            timeliness=[5, 4, 3, 4, 5, None],
            attitude=[4, None, None, 5, 3, None],
            professionalism=[4, 4, 4, 4, 4, 5],
        ),
        # XZ, September: 3 sent, all answered; October: 5 sent, none answered.
        *surveys(2, "2026-09", [5, 5, 4]),
        *surveys(2, "2026-10", [None] * 5),
        # After the last month published: left out.
        *surveys(1, "2026-11", [1, 1, 1, 1, 1, 1]),
    ]
    counter_facts = [
        *counter(1, "2026-09", "kiosk", [5, 5, 4, 3, 4, 5, 1]),
        *counter(1, "2026-09", "qr", [4, 4, 5, 2, 3, 5]),
        *counter(2, "2026-09", "kiosk", [4] * 12),
        *counter(2, "2026-09", "qr", [5, 1]),
        *counter(2, "2026-10", "qr", [5] * 9),
        *counter(2, "2026-11", "kiosk", [1] * 9),
    ]
    return case_facts, counter_facts


def row(
    month: str,
    office: OfficeLabel,
    case: tuple[str, str, str, str, str],
    aspects: tuple[str, str, str, str],
    counter: tuple[str, str, str],
    kiosk: tuple[str, str, str],
    qr: tuple[str, str, str],
) -> dict[str, str]:
    """A row from its groups: the case survey (sent, answered, rate, mean, share), the aspects' means,
    and the counter survey's answers, mean and share in all, at the kiosk and by phone."""
    values = (month, office.code, office.name, *case, *aspects, *counter, *kiosk, *qr)
    return dict(zip(COLUMNS, values, strict=True))


NOTHING = ("", "", "")
# Worked by hand from fixture_facts.
EXPECTED = [
    row(
        "2026-09",
        OFFICES[1],
        # 6 of 8 answered: 75.0 %; overall 23 / 6 = 3.83; 4 of 6 gave 4 or 5: 66.7 %.
        ("8", "6", "75.0", "3.83", "66.7"),
        # timeliness 21 / 5; attitude has only 3 answers; professionalism 25 / 6; clarity none.
        ("4.20", "", "4.17", ""),
        ("13", "3.85", "69.2"),  # 50 / 13; 9 of 13
        ("7", "3.86", "71.4"),  # 27 / 7; 5 of 7
        ("6", "3.83", "66.7"),  # 23 / 6; 4 of 6
    ),
    row(
        "2026-09",
        OFFICES[2],
        ("", "", "", "", ""),  # 3 sent: too few, and so is everything computed from them
        ("", "", "", ""),
        ("14", "3.86", "92.9"),  # 54 / 14; 13 of 14
        NOTHING,  # the 12 at the kiosk would be 14 - 2: hidden with the 2 by phone
        NOTHING,
    ),
    row(
        "2026-10",
        OFFICES[1],
        ("0", "0", "", "", ""),  # nothing that month: zeros, and no rate or mean
        ("", "", "", ""),
        ("0", "", ""),
        ("0", "", ""),
        ("0", "", ""),
    ),
    row(
        "2026-10",
        OFFICES[2],
        ("5", "0", "0.0", "", ""),  # 5 sent, none answered
        ("", "", "", ""),
        ("9", "5.00", "100.0"),
        ("0", "", ""),  # a zero singles out no one and gives nothing away
        ("9", "5.00", "100.0"),
    ),
]


def test_the_figures_of_each_month_and_office_are_those_worked_by_hand() -> None:
    case_facts, counter_facts = fixture_facts()
    rows = build_rows(case_facts, counter_facts, OFFICES, "2026-10", threshold=5)
    assert rows == EXPECTED


def test_the_threshold_is_five_and_the_default() -> None:
    case_facts, counter_facts = fixture_facts()
    assert SUPPRESSION_THRESHOLD == 5
    assert build_rows(case_facts, counter_facts, OFFICES, "2026-10") == EXPECTED


def test_a_count_of_exactly_the_threshold_is_shown_and_one_less_is_not() -> None:
    five = build_rows(surveys(1, "2026-09", [4, 4, 4, 4, 5]), [], OFFICES, "2026-09")[0]
    four = build_rows(surveys(1, "2026-09", [4, 4, 4, 5]), [], OFFICES, "2026-09")[0]
    assert (five["survey_responses"], five["overall_mean"], five["overall_satisfied"]) == (
        "5",
        "4.20",
        "100.0",
    )
    assert (four["survey_responses"], four["overall_mean"], four["overall_satisfied"]) == ("", "", "")


def test_a_small_response_count_hides_the_rate_but_not_the_surveys_sent() -> None:
    facts = surveys(1, "2026-09", [5, 4, None, None, None, None, None, None, None, None])
    [only] = build_rows(facts, [], OFFICES, "2026-09")
    assert only["surveys_issued"] == "10"
    assert only["survey_responses"] == only["response_rate"] == only["overall_mean"] == ""
    assert all(only[f"{aspect}_mean"] == "" for aspect in ASPECTS)


def test_secondary_suppression_hides_the_smallest_other_count_of_a_shown_total() -> None:
    assert suppress_parts([3, 10], [True, True], 5) == [None, None]
    assert suppress_parts([10, 3, 6], [True, True, True], 5) == [10, None, None]
    assert suppress_parts([3, 4], [True, True], 5) == [None, None]
    assert suppress_parts([5, 6], [True, True], 5) == [5, 6]
    assert suppress_parts([0, 7], [True, True], 5) == [0, 7]


def test_no_secondary_suppression_when_the_total_is_hidden_too() -> None:
    # 3 + 0 = 3: the total is hidden itself, so the zero gives nothing away.
    assert suppress_parts([3, 0], [True, True], 5) == [None, 0]


def test_a_part_without_a_column_counts_as_hidden() -> None:
    # Answers of another channel are hidden: kiosk would be 15 - 7 - 2, so the smallest shown goes too.
    assert suppress_parts([6, 7, 2], [True, True, False], 5) == [None, 7, None]
    [only] = build_rows(
        [],
        counter(1, "2026-09", "kiosk", [4] * 6) + counter(1, "2026-09", "phone", [4] * 7),
        OFFICES,
        "2026-09",
    )
    assert (only["counter_answers"], only["kiosk_answers"], only["qr_answers"]) == ("13", "", "0")


def test_rows_hold_only_the_columns_months_and_figures() -> None:
    case_facts, counter_facts = fixture_facts()
    for built in build_rows(case_facts, counter_facts, OFFICES, "2026-10"):
        assert tuple(built) == COLUMNS
        assert re.fullmatch(r"\d{4}-\d{2}", built["month"])
        for name in COLUMNS[3:]:
            assert re.fullmatch(r"|\d+|\d+\.\d{1,2}", built[name]), (name, built[name])


def test_no_facts_no_rows_and_offices_without_facts_have_no_rows() -> None:
    assert build_rows([], [], OFFICES, "2026-10") == []
    rows = build_rows([], counter(2, "2026-10", "qr", [5] * 5), OFFICES, "2026-10")
    assert [(item["month"], item["office_code"]) for item in rows] == [("2026-10", "XZ")]


def test_the_aspects_are_those_the_survey_asks() -> None:
    assert CASE_ASPECTS == ASPECTS


def test_months_are_taipei_months() -> None:
    assert month_of(datetime(2026, 9, 30, 16, 30, tzinfo=UTC)) == "2026-10"  # 00:30 on 1 October in Taipei
    assert month_of(datetime(2026, 9, 30, 15, 59, tzinfo=UTC)) == "2026-09"
    assert month_start("2026-10") == datetime(2026, 9, 30, 16, 0, tzinfo=UTC)
    assert last_closed_month(datetime(2025, 12, 31, 16, 0, tzinfo=UTC)) == "2025-12"
    assert last_closed_month(datetime(2025, 12, 31, 15, 59, tzinfo=UTC)) == "2025-11"
    assert next_month("2025-12") == "2026-01"
    assert previous_month("2026-01") == "2025-12"
    assert months_from("2025-11", "2026-02") == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert months_from("2026-03", "2026-02") == []


scores = st.integers(min_value=1, max_value=5)
counter_facts_strategy = st.lists(
    st.builds(
        CounterFact,
        st.sampled_from([1, 2]),
        st.sampled_from(["2026-09", "2026-10"]),
        st.sampled_from(["kiosk", "qr"]),
        scores,
    ),
    max_size=40,
)
survey_facts_strategy = st.lists(
    st.builds(
        SurveyFact,
        st.sampled_from([1, 2]),
        st.sampled_from(["2026-09", "2026-10"]),
        st.one_of(st.none(), scores),
        st.fixed_dictionaries({aspect: st.one_of(st.none(), scores) for aspect in ASPECTS}),
    ),
    max_size=40,
)


@settings(max_examples=200, deadline=None)
@given(survey_facts_strategy, counter_facts_strategy, st.integers(min_value=2, max_value=8))
def test_no_small_count_is_shown_or_recoverable(
    case_facts: list[SurveyFact], counter_facts: list[CounterFact], threshold: int
) -> None:
    for built in build_rows(case_facts, counter_facts, OFFICES, "2026-10", threshold=threshold):
        for count in ("surveys_issued", "survey_responses", "counter_answers", "kiosk_answers", "qr_answers"):
            assert built[count] == "" or int(built[count]) == 0 or int(built[count]) >= threshold
        for prefix, count in (
            ("counter", "counter_answers"),
            ("kiosk", "kiosk_answers"),
            ("qr", "qr_answers"),
        ):
            if built[count] in ("", "0"):
                assert built[f"{prefix}_mean"] == built[f"{prefix}_satisfied"] == ""
        if built["survey_responses"] in ("", "0"):
            assert built["overall_mean"] == built["overall_satisfied"] == ""
        if "" in (built["survey_responses"], built["surveys_issued"]):
            assert built["response_rate"] == ""
        if built["counter_answers"]:
            # Shown total: both channels shown (then they add up) or neither can be worked out.
            shown = [built["kiosk_answers"] != "", built["qr_answers"] != ""]
            assert shown in ([True, True], [False, False])
            if all(shown):
                assert int(built["kiosk_answers"]) + int(built["qr_answers"]) == int(built["counter_answers"])
