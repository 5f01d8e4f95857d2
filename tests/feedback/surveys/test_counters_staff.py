"""The staff's counter pages: who may use them, counters kept, kiosk set-up, posters, figures and exclusions."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from feedback.cases.handling import local_day
from feedback.surveys.counter_limits import Device
from feedback.surveys.counters import record_answer
from feedback.surveys.models import Counter
from portal.audit import AuditRecord
from portal.auth.roles import Role
from portal.db import db, utcnow
from tests.feedback.cases.staff.conftest import forget_request_state
from tests.feedback.surveys.counter_fixtures import (
    Counters,
    answers_at,
    counters,
    limits_config,
    office,
    quiet_limits,
)
from tests.support.pages import PageClient, check_page, csrf_token_of

__all__ = ["counters", "limits_config"]

ROOT = "/staff/surveys/counters"
GETS = [ROOT, f"{ROOT}/new", f"{ROOT}/KL/T1", f"{ROOT}/KL/T1/poster.pdf", f"{ROOT}/answers"]
POSTS = [f"{ROOT}/new", f"{ROOT}/KL/T1", f"{ROOT}/KL/T1/kiosk-setup", f"{ROOT}/answers/exclude"]


def csrf(pages: PageClient) -> str:
    forget_request_state()
    return csrf_token_of(pages.client.get(ROOT + "/new").get_data(as_text=True))


def post(pages: PageClient, url: str, data: dict[str, Any]) -> Any:
    return pages.client.post(url, data={"csrf_token": csrf(pages), **data})


def manager(client_as: Callable[..., Any], **kwargs: Any) -> PageClient:
    pages, _account = client_as(Role.PUBLISHER, **kwargs)
    return pages


@pytest.mark.parametrize("url", GETS)
def test_strangers_are_sent_to_login(client: Any, counters: Counters, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert "/staff/login" in response.headers["Location"]


@pytest.mark.parametrize("role", [Role.ANALYST, Role.CASE_OFFICER, Role.SUPERVISOR])
def test_staff_without_the_survey_permission_are_refused(
    client_as: Callable[..., Any], counters: Counters, role: Role
) -> None:
    pages, _account = client_as(role, office_code="KL")
    for url in GETS:
        assert pages.client.get(url).status_code == 403, url
    forget_request_state()
    token = csrf_token_of(pages.client.get("/staff/account/password").get_data(as_text=True))
    for url in POSTS:
        response = pages.client.post(
            url, data={"csrf_token": token, "reason": "x", "counter": "1", "ids": "1"}
        )
        assert response.status_code == 403, url


def test_the_list_shows_each_office_s_counters_with_their_links(
    client_as: Callable[..., Any], counters: Counters
) -> None:
    page = manager(client_as).get(ROOT)
    text = page.get_text()
    assert "測試櫃台T1" in text
    assert "否（已停用）" in text  # T9
    hrefs = {link["href"] for link in page.select("a[href]")}
    assert "/surveys/counter/KL/T1/kiosk" in hrefs
    assert "/surveys/counter/KL/T1" in hrefs
    assert f"{ROOT}/KL/T1/poster.pdf" in hrefs
    assert f"{ROOT}/XZ/T1" in hrefs


def test_a_counter_is_added_once_per_code_and_audited(
    client_as: Callable[..., Any], counters: Counters
) -> None:
    pages = manager(client_as)
    fields = {"office": "KL", "code": "A-7", "name_zh": "七號櫃台", "name_en": "Counter 7", "active": "y"}
    assert post(pages, f"{ROOT}/new", fields).status_code == 302
    added = db.session.scalar(select(Counter).where(Counter.code == "A-7"))
    assert added is not None
    assert (added.office_id, added.name_zh, added.active) == (office("KL").id, "七號櫃台", True)
    audit = db.session.scalar(
        select(AuditRecord).where(
            AuditRecord.entity == "service_counter", AuditRecord.entity_id == str(added.id)
        )
    )
    assert audit is not None
    assert audit.action == "create"
    again = post(pages, f"{ROOT}/new", fields)
    assert again.status_code == 400
    assert "已有櫃台使用這個代碼" in again.get_data(as_text=True)
    # The same code at another office is another counter.
    assert post(pages, f"{ROOT}/new", {**fields, "office": "XZ"}).status_code == 302


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"code": "a b"}, "櫃台代碼只能使用"),
        ({"code": "-1"}, "櫃台代碼只能使用"),
        ({"code": "x" * 21}, "櫃台代碼只能使用"),
        ({"code": ""}, "請填寫櫃台代碼"),
        ({"name_zh": ""}, "請填寫中文名稱"),
        ({"office": "ZZ"}, "服務據點："),
    ],
)
def test_a_bad_counter_is_a_400_with_its_message(
    client_as: Callable[..., Any], counters: Counters, change: dict[str, str], message: str
) -> None:
    fields = {"office": "KL", "code": "8", "name_zh": "八號櫃台", "active": "y", **change}
    response = post(manager(client_as), f"{ROOT}/new", fields)
    assert response.status_code == 400
    summary = check_page(response, f"{ROOT}/new").select_one(".error-summary")
    assert summary is not None
    assert message in summary.get_text()
    assert db.session.scalar(select(Counter).where(Counter.name_zh == "八號櫃台")) is None


def test_a_counter_is_renamed_or_stopped_but_keeps_its_code(
    client_as: Callable[..., Any], pages: PageClient, counters: Counters
) -> None:
    staff_pages = manager(client_as)
    response = post(
        staff_pages, f"{ROOT}/KL/T1", {"office": "XZ", "code": "NEW", "name_zh": "服務台", "name_en": ""}
    )
    assert response.status_code == 302
    db.session.expire_all()
    counter = db.session.get(Counter, counters.kl.id)
    assert counter is not None
    assert (counter.code, counter.office_id, counter.name_zh, counter.active) == (
        "T1",
        office("KL").id,
        "服務台",
        False,
    )
    forget_request_state()
    assert pages.client.get("/surveys/counter/KL/T1/kiosk").status_code == 404


def test_a_manager_of_one_office_sees_only_it(client_as: Callable[..., Any], counters: Counters) -> None:
    pages = manager(client_as, office_code="XZ")
    listing = pages.get(ROOT).get_text()
    assert "汐止營運所" in listing
    assert "基隆服務所" not in listing
    assert pages.client.get(f"{ROOT}/KL/T1").status_code == 404
    assert pages.client.get(f"{ROOT}/KL/T1/poster.pdf").status_code == 404
    assert post(pages, f"{ROOT}/new", {"office": "KL", "code": "5", "name_zh": "五號"}).status_code == 400


def test_an_administrator_sees_every_office(client_as: Callable[..., Any], counters: Counters) -> None:
    pages, _account = client_as(Role.ADMINISTRATOR)
    listing = pages.get(ROOT).get_text()
    assert "汐止營運所" in listing
    assert "基隆服務所" in listing


def test_setting_up_a_kiosk_sets_its_cookie_and_is_audited(
    client_as: Callable[..., Any], counters: Counters
) -> None:
    pages = manager(client_as)
    response = post(pages, f"{ROOT}/KL/T1/kiosk-setup", {})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/surveys/counter/KL/T1/kiosk")
    cookie = pages.client.get_cookie("counter_kiosk")
    assert cookie is not None
    assert cookie.http_only
    record = db.session.scalar(select(AuditRecord).where(AuditRecord.action == "counter_kiosk.set_up"))
    assert record is not None
    assert record.entity_id == str(counters.kl.id)


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_poster_points_at_the_chinese_phone_page(
    client_as: Callable[..., Any], counters: Counters, tmp_path: Path, prefix: str
) -> None:
    response = manager(client_as).client.get(f"{prefix}{ROOT}/KL/T1/poster.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    path = tmp_path / "poster.pdf"
    path.write_bytes(response.data)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    flat = text.replace("\n", "")
    assert "http://localhost/surveys/counter/KL/T1" in flat
    assert "/en/" not in flat
    assert "測試櫃台T1" in flat
    assert "基隆服務所" in flat


def figure_rows(page: Any) -> dict[tuple[str, str], list[str]]:
    """(office, counter) -> count, average, share, flagged, excluded, as the figures table shows them."""
    rows = {}
    for row in page.select("table tbody tr"):
        cells = [cell.get_text(strip=True) for cell in row.find_all("td")]
        if row.th and cells:
            rows[(cells[0], row.th.get_text(strip=True))] = cells[1:]
    return rows


def burst_forms(page: Any, counter: Counter) -> list[Any]:
    """The exclusion forms of `counter`'s bursts (the demo may have bursts of its own)."""
    return [
        form
        for form in page.select("form[action$='/answers/exclude']")
        if form.select_one("input[name=counter]")["value"] == str(counter.id)
    ]


def answer_burst(counter: Counter, size: int = 9) -> None:
    now = utcnow()
    for number in range(size):
        record_answer(
            db.session,
            counter,
            1,
            "",
            "kiosk",
            now + timedelta(seconds=number),
            Device.kiosk(f"d{number}"),
            quiet_limits(),
        )
    db.session.commit()


def test_the_answers_page_shows_figures_and_bursts_and_excludes_a_burst_with_a_reason(
    client_as: Callable[..., Any], counters: Counters
) -> None:
    answer_burst(counters.kl)
    record_answer(db.session, counters.xz, 5, "", "qr", utcnow(), Device.address("a"), quiet_limits())
    db.session.commit()
    pages = manager(client_as)
    page = pages.get(f"{ROOT}/answers")
    rows = figure_rows(page)
    assert rows[("基隆服務所", "測試櫃台T1")] == ["9", "1.00", "0.0%", "9", "0"]
    forms = burst_forms(page, counters.kl)
    assert len(forms) == 1
    ids = forms[0].select_one("input[name=ids]")["value"]
    fields = {"counter": str(counters.kl.id), "ids": ids}

    refused = post(pages, f"{ROOT}/answers/exclude", {**fields, "reason": "  "})
    assert refused.status_code == 400
    assert "請填寫排除原因" in refused.get_data(as_text=True)
    assert all(item.excluded_at is None for item in answers_at(counters.kl))

    done = post(pages, f"{ROOT}/answers/exclude", {**fields, "reason": "同一人連續按壓"})
    assert done.status_code == 303
    assert all(item.exclusion_reason == "同一人連續按壓" for item in answers_at(counters.kl))
    records = db.session.scalars(select(AuditRecord).where(AuditRecord.action == "counter_response.excluded"))
    assert len(list(records)) == 9
    forget_request_state()
    after = pages.get(f"{ROOT}/answers")
    rows = figure_rows(after)
    assert rows[("基隆服務所", "測試櫃台T1")] == ["0", "—", "—", "0", "9"]
    assert burst_forms(after, counters.kl) == []


def test_an_exclusion_outside_the_manager_s_office_is_a_404(
    client_as: Callable[..., Any], counters: Counters
) -> None:
    answer_burst(counters.kl)
    ids = ",".join(str(item.id) for item in answers_at(counters.kl))
    pages = manager(client_as, office_code="XZ")
    response = post(
        pages, f"{ROOT}/answers/exclude", {"counter": str(counters.kl.id), "ids": ids, "reason": "x"}
    )
    assert response.status_code == 404
    assert all(item.excluded_at is None for item in answers_at(counters.kl))


@pytest.mark.parametrize("ids", ["", "1;2", "abc", "1,,2"])
def test_a_forged_exclusion_is_a_400(client_as: Callable[..., Any], counters: Counters, ids: str) -> None:
    response = post(
        manager(client_as), f"{ROOT}/answers/exclude", {"counter": "1", "ids": ids, "reason": "x"}
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    "query",
    [
        "start=2026-13-01&end=2026-12-31",
        "start=2026-05-02&end=2026-05-01",
        "start=&end=2026-05-01",
        "start=2020-01-01&end=2026-01-01",
        "office=ZZ&start=2026-01-01&end=2026-01-31",
    ],
)
def test_a_bad_date_range_is_a_400(client_as: Callable[..., Any], counters: Counters, query: str) -> None:
    page = manager(client_as).get(f"{ROOT}/answers?{query}", status=400)
    assert page.select_one(".error-summary") is not None


def test_a_date_range_and_office_narrow_the_figures(
    client_as: Callable[..., Any], counters: Counters
) -> None:
    answer_burst(counters.kl, size=2)
    today = local_day(utcnow())
    pages = manager(client_as)
    only_xz = pages.get(f"{ROOT}/answers?office=XZ&start={today}&end={today}").get_text()
    assert "基隆服務所" not in only_xz.split("各櫃台評分")[1]
    yesterday = today - timedelta(days=1)
    page = pages.get(f"{ROOT}/answers?office=KL&start={yesterday}&end={yesterday}")
    cells = [
        row.find_all("td")
        for row in page.select("table tbody tr")
        if row.th and row.th.get_text(strip=True) == "測試櫃台T1"
    ]
    assert cells[0][1].get_text(strip=True) == "0"


def test_the_dashboard_card_is_shown_to_survey_managers(
    client_as: Callable[..., Any], counters: Counters
) -> None:
    page = manager(client_as).get("/staff/")
    hrefs = {link["href"] for link in page.select("a[href]")}
    assert ROOT in hrefs
    assert f"{ROOT}/answers" in hrefs
    analyst, _account = client_as(Role.ANALYST)
    assert ROOT not in {link["href"] for link in analyst.get("/staff/").select("a[href]")}
