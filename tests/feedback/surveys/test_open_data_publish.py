"""Survey figures published as open data: the release's files, what they never hold, frictionless, once a month."""

from __future__ import annotations

import csv
import json
import re
import secrets
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import delete, func, select

from datasets.models import Dataset, Release
from datasets.storage import release_folder
from feedback.cases.models import Case
from feedback.surveys import open_data
from feedback.surveys.models import CaseSurvey, Counter, CounterResponse, FollowUp
from feedback.surveys.open_data import (
    MONTHLY_JOB,
    RUNNING,
    PublishOutcome,
    publish_monthly,
    publish_satisfaction,
)
from feedback.surveys.open_data_rows import COLUMNS
from portal.db import db
from portal.offices.models import Office
from portal.once import ScheduledRun
from tests.feedback.surveys.test_open_data_rows import EXPECTED

SLUG = "satisfaction-by-office-month"
NOW = datetime(2026, 11, 3, 2, 0, tzinfo=UTC)  # 10:00 on 3 November in Taipei: October has ended
COMMENT = "承辦人王小明很好，我的電話 0912-345-678"


def taipei(year: int, month: int, day: int, hour: int = 10) -> datetime:
    """A moment given in Taipei time, as UTC."""
    return datetime(year, month, day, hour, tzinfo=UTC) - timedelta(hours=8)


class Facts:
    """Adds surveys and counter answers to the database, and remembers what must never be published."""

    def __init__(self) -> None:
        # The demo's answers go, so that the release holds these facts alone (rolled back after the test).
        for model in (FollowUp, CaseSurvey, CounterResponse):
            db.session.execute(delete(model))
        self.offices = {
            code: db.session.scalar(select(Office).where(Office.code == code)) for code in ("KL", "XZ")
        }
        surveyed = select(CaseSurvey.case_id)
        self.cases = list(
            db.session.scalars(select(Case).where(Case.id.not_in(surveyed)).order_by(Case.id).limit(40))
        )
        self.used: list[Case] = []
        self.counters = {}
        for code, office in self.offices.items():
            counter = Counter(office_id=office.id, code=f"T{code}", name_zh="測試櫃台")
            db.session.add(counter)
            self.counters[code] = counter
        db.session.flush()

    def survey(
        self,
        code: str,
        issued: datetime,
        overall: int | None = None,
        answered: datetime | None = None,
        comment: str | None = None,
        **aspects: int | None,
    ) -> None:
        case = self.cases[len(self.used)]
        self.used.append(case)
        db.session.add(
            CaseSurvey(
                case_id=case.id,
                office_id=self.offices[code].id,
                token_digest=secrets.token_hex(32),
                issued_at=issued,
                expires_at=issued + timedelta(days=14),
                answered_at=(answered or issued + timedelta(days=1)) if overall is not None else None,
                overall=overall,
                comment=comment,
                **aspects,
            )
        )

    def answers(
        self, code: str, at: datetime, channel: str, scores: list[int], *, excluded: bool = False
    ) -> None:
        for minute, score in enumerate(scores):
            db.session.add(
                CounterResponse(
                    office_id=self.offices[code].id,
                    counter_id=self.counters[code].id,
                    channel=channel,
                    at=at + timedelta(minutes=minute),
                    score=score,
                    flagged=excluded,
                    excluded_at=at + timedelta(days=1) if excluded else None,
                    exclusion_reason="測試排除" if excluded else "",
                )
            )


def add_fixture_facts(facts: Facts) -> None:
    """The facts of `test_open_data_rows.fixture_facts`, stored, with what the reading must leave out."""
    september, october = taipei(2026, 9, 1, 0), taipei(2026, 10, 31, 23)
    overall = [5, 4, 4, 3, 5, 2]
    timeliness = [5, 4, 3, 4, 5, None]
    attitude = [4, None, None, 5, 3, None]
    professionalism = [4, 4, 4, 4, 4, 5]
    for index, score in enumerate(overall):
        facts.survey(
            "KL",
            september,
            score,
            comment=COMMENT if index == 0 else None,
            timeliness=timeliness[index],
            attitude=attitude[index],
            professionalism=professionalism[index],
        )
    facts.survey("KL", september)
    facts.survey("KL", september)
    for score in (5, 5, 4):
        facts.survey("XZ", september, score)
    for _ in range(4):
        facts.survey("XZ", october)
    # Sent at the very end of October, answered in November: not an answer of this release.
    facts.survey("XZ", october, 5, answered=taipei(2026, 11, 1, 9))
    # Sent in November (in Taipei, though still 31 October in UTC): not in this release.
    facts.survey("KL", taipei(2026, 11, 1, 0), 1)
    facts.answers("KL", september, "kiosk", [5, 5, 4, 3, 4, 5, 1])
    facts.answers("KL", september, "qr", [4, 4, 5, 2, 3, 5])
    facts.answers("KL", september, "kiosk", [1, 1, 1], excluded=True)
    facts.answers("XZ", september, "kiosk", [4] * 12)
    facts.answers("XZ", september, "qr", [5, 1])
    facts.answers("XZ", taipei(2026, 10, 15), "qr", [5] * 9)
    facts.answers("XZ", taipei(2026, 11, 1, 0), "kiosk", [1] * 9)
    db.session.commit()


@pytest.fixture
def facts(app_context: None) -> Facts:
    stored = Facts()
    add_fixture_facts(stored)
    return stored


def expected_rows(facts: Facts) -> dict[tuple[str, str], dict[str, str]]:
    """The hand-worked rows, with the offices' names as the database has them."""
    names = {code: office.name_zh for code, office in facts.offices.items()}
    return {
        (row["month"], row["office_code"]): {**row, "office_name": names[row["office_code"]]}
        for row in EXPECTED
    }


def release_files(outcome: PublishOutcome) -> Path:
    assert outcome.published, (outcome.reason, outcome.report)
    assert outcome.storage_key is not None
    return release_folder(outcome.storage_key)


def read_csv(folder: Path) -> list[dict[str, str]]:
    with (folder / f"{SLUG}.csv").open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_release_holds_the_figures_worked_by_hand(facts: Facts) -> None:
    outcome = publish_satisfaction(db.session, "2026-10", NOW)
    folder = release_files(outcome)
    published = read_csv(folder)
    assert list(published[0]) == list(COLUMNS)
    assert {(row["month"], row["office_code"]): row for row in published} == expected_rows(facts)
    assert outcome.row_count == 4


def test_the_json_file_holds_the_same_figures(facts: Facts) -> None:
    folder = release_files(publish_satisfaction(db.session, "2026-10", NOW))
    objects = json.loads((folder / f"{SLUG}.json").read_text(encoding="utf-8"))
    expected = expected_rows(facts)
    assert len(objects) == len(expected)
    for item in objects:
        wanted = expected[(item["month"], item["office_code"])]
        assert list(item) == list(COLUMNS)
        for name in COLUMNS[3:]:
            value = item[name]
            assert (value is None) == (wanted[name] == ""), name
            if value is not None:
                assert Decimal(str(value)) == Decimal(wanted[name]), name


def test_no_personal_data_reaches_the_published_files(facts: Facts) -> None:
    folder = release_files(publish_satisfaction(db.session, "2026-10", NOW))
    texts = [(folder / f"{SLUG}.{kind}").read_text(encoding="utf-8-sig") for kind in ("csv", "json")]
    digests = db.session.scalars(select(CaseSurvey.token_digest)).all()
    for text in texts:
        assert "王小明" not in text
        assert "0912" not in text
        for case in facts.used:
            assert case.number not in text
        for digest in digests:
            assert digest[:16] not in text
        # Nothing finer than the month: no day, no time of day.
        assert re.search(r"\d{4}-\d{2}-\d{2}", text) is None
        assert re.search(r"\d{1,2}:\d{2}", text) is None
    assert "測試櫃台" not in texts[0]  # counters are not named either


def test_the_release_passes_frictionless_validate(facts: Facts) -> None:
    folder = release_files(publish_satisfaction(db.session, "2026-10", NOW))
    frictionless = str(Path(sys.executable).parent / "frictionless")
    result = subprocess.run(
        [frictionless, "validate", "datapackage.json"],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:]
    assert "VALID" in result.stdout


def test_the_dataset_is_made_from_its_definition(facts: Facts) -> None:
    assert db.session.scalar(select(Dataset).where(Dataset.slug == SLUG)) is None
    publish_satisfaction(db.session, "2026-10", NOW)
    dataset = db.session.scalar(select(Dataset).where(Dataset.slug == SLUG))
    assert dataset is not None
    assert (dataset.title_zh, dataset.title_en) == (
        "各服務所滿意度調查統計",
        "Satisfaction surveys by office and month",
    )
    assert (dataset.update_frequency, dataset.licence) == ("monthly", "OGDL-Taiwan-1.0")
    assert (dataset.theme_code, dataset.cake_code, dataset.service_code) == ("600", "E30", "I00")
    titles = {field["name"]: (field["title"], field["title_en"]) for field in dataset.table_schema["fields"]}
    assert all(zh and en for zh, en in titles.values())
    assert titles["response_rate"] == ("結案滿意度調查回覆率", "Case survey response rate")


def test_a_month_not_yet_ended_is_refused(facts: Facts) -> None:
    with pytest.raises(ValueError, match="not ended"):
        publish_satisfaction(db.session, "2026-11", NOW)


def releases() -> int:
    dataset_id = select(Dataset.id).where(Dataset.slug == SLUG).scalar_subquery()
    return db.session.scalar(select(func.count(Release.id)).where(Release.dataset_id == dataset_id)) or 0


def run_of(month: str) -> ScheduledRun | None:
    db.session.expire_all()
    return db.session.scalar(
        select(ScheduledRun).where(ScheduledRun.job == MONTHLY_JOB, ScheduledRun.period == month)
    )


def test_the_monthly_job_publishes_once_when_started_twice(app: Flask, facts: Facts) -> None:
    first = publish_monthly(app, NOW)
    second = publish_monthly(app, NOW + timedelta(hours=3))
    assert first is not None
    assert first.published
    assert second is None
    assert releases() == 1
    run = run_of("2026-10")
    assert run is not None
    assert run.summary == f"release {first.release_number}, 4 rows"


def test_the_next_month_publishes_again_and_force_publishes_a_month_again(app: Flask, facts: Facts) -> None:
    assert publish_monthly(app, NOW) is not None
    december = publish_monthly(app, datetime(2026, 12, 2, 1, tzinfo=UTC))
    assert december is not None
    assert december.published
    assert december.row_count == 6  # November's rows too
    forced = publish_monthly(app, datetime(2026, 12, 3, 1, tzinfo=UTC), force=True)
    assert forced is not None
    assert forced.published
    assert releases() == 3


def test_a_failed_or_refused_run_gives_its_claim_back(
    app: Flask, facts: Facts, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing(*_args: Any, **_kwargs: Any) -> PublishOutcome:
        raise RuntimeError("disk full")

    monkeypatch.setattr(open_data, "publish_satisfaction", failing)
    with pytest.raises(RuntimeError):
        publish_monthly(app, NOW)
    assert run_of("2026-10") is None
    monkeypatch.setattr(
        open_data, "publish_satisfaction", lambda *_a, **_k: PublishOutcome(job_id=7, reason="pii")
    )
    outcome = publish_monthly(app, NOW)
    assert outcome is not None
    assert outcome.reason == "pii"
    assert run_of("2026-10") is None
    monkeypatch.undo()
    published = publish_monthly(app, NOW)
    assert published is not None
    assert published.published


@pytest.mark.parametrize("summary", [RUNNING, f"{RUNNING} (taken over at 2026-11-03 01:00:00 UTC)"])
def test_a_running_claim_is_left_alone_until_it_is_stale(app: Flask, facts: Facts, summary: str) -> None:
    db.session.add(
        ScheduledRun(
            job=MONTHLY_JOB, period="2026-10", started_at=NOW - timedelta(minutes=5), summary=summary
        )
    )
    db.session.commit()
    assert publish_monthly(app, NOW) is None
    assert releases() == 0
    taken = publish_monthly(app, NOW + open_data.STALE_CLAIM)
    assert taken is not None
    assert taken.published
    run = run_of("2026-10")
    assert run is not None
    assert run.summary.startswith("release ")
    assert releases() == 1


def test_a_published_month_is_never_taken_over(app: Flask, facts: Facts) -> None:
    assert publish_monthly(app, NOW) is not None
    assert publish_monthly(app, NOW + 2 * open_data.STALE_CLAIM) is None
    assert releases() == 1


def test_the_command_publishes_and_then_says_it_already_ran(app: Flask, facts: Facts) -> None:
    runner = app.test_cli_runner()
    first = runner.invoke(args=["surveys", "monthly"])
    assert first.exit_code == 0, first.output
    assert "release " in first.output
    second = runner.invoke(args=["surveys", "monthly"])
    assert second.exit_code == 0, second.output
    assert "already ran" in second.output
    assert releases() == 1
