"""The demo's disclosure documents: their committed files pass the upload checks, and the loaded demo shows
every category current but the minutes, the service plan found by search, and loading again adding nothing."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from disclosure.categories import BY_NUMBER, CATEGORIES, is_current
from disclosure.demo import FILES_FOLDER, PUBLISHED_AT, checked_files, load_demo_documents
from disclosure.demo_documents import DEMO_DOCUMENTS, DemoDocument
from disclosure.demo_files import file_bytes
from disclosure.documents import category_states
from disclosure.file_checks import PDF, CheckedDocument
from disclosure.models import DisclosureDocument, DisclosureFile
from portal.classification.codes import SCHEMES
from portal.clock import TAIPEI, taipei_today
from portal.config import SETTINGS_BY_NAME
from portal.db import db
from portal.demo import OFFICES
from search.services import search

MAX_BYTES = 50 * 1024 * 1024
SERVICE_PLAN = next(demo for demo in DEMO_DOCUMENTS if demo.key == "service-plan")


@pytest.fixture(scope="module")
def checked() -> dict[str, list[CheckedDocument]]:
    return {demo.key: checked_files(demo, MAX_BYTES) for demo in DEMO_DOCUMENTS}


def test_every_committed_file_passes_the_upload_checks_and_exactly_one_is_scanned(
    checked: dict[str, list[CheckedDocument]],
) -> None:
    files = [item for items in checked.values() for item in items]
    assert len(files) == sum(len(demo.files) for demo in DEMO_DOCUMENTS)
    scanned = [item for item in files if not item.has_text]
    assert [item.name for item in scanned] == ["hillside-plumbing-letter.pdf"]
    assert scanned[0].media_type == PDF
    assert scanned[0].text.strip() == ""
    for demo in DEMO_DOCUMENTS:
        for spec, item in zip(demo.files, checked[demo.key], strict=True):
            assert item.name == f"{demo.key}.{spec.kind}"
            assert item.has_text is not spec.scanned
            if spec.kind != "ods" and not spec.scanned:
                assert demo.title_zh in item.text, item.name


def test_the_folder_holds_only_the_documents_files_and_stays_small() -> None:
    expected = {name for demo in DEMO_DOCUMENTS for name in demo.file_names()} | {
        "service-plan.txt",
        ".gitattributes",
    }
    present = {path.name for path in FILES_FOLDER.iterdir()}
    assert present == expected
    assert sum(path.stat().st_size for path in FILES_FOLDER.iterdir()) < 1_500_000


def test_the_service_plan_is_whole_in_both_files(checked: dict[str, list[CheckedDocument]]) -> None:
    lines = (FILES_FOLDER / "service-plan.txt").read_text(encoding="utf-8").splitlines()
    assert all(line.strip() for line in lines)
    assert not any(line.strip().isdigit() for line in lines)
    # A sentence the source broke over four lines, whole again.
    assert (
        "為掌握內外在環境轉變及民眾對公共服務需求多元化，於既有重視效率、品質及創新之基礎上，導入「公平共享」、"
        "「參與合作」及「開放透明」核心精神，持續推動全方位服務，以提升本區處為民服務效能，促使民眾於開放政府、"
        "透明治理下，享有專業、便捷及高效率之服務。"
    ) in lines
    pdf, odt = checked["service-plan"]
    assert (pdf.media_type, odt.media_type) == (PDF, "application/vnd.oasis.opendocument.text")
    last = "本執行計畫如有未盡事宜，得依實際需要修正或另行補充規定。"
    # Past the 255th distinct character too: the PDF spreads its characters over several subsets for this.
    assert last in pdf.text
    assert last in odt.text


def test_odf_files_and_a_pdf_come_out_the_same_when_written_again() -> None:
    font = str(SETTINGS_BY_NAME["PDF_FONT"].default)
    index = int(SETTINGS_BY_NAME["PDF_FONT_INDEX"].default)
    for demo in DEMO_DOCUMENTS:
        for spec, name in zip(demo.files, demo.file_names(), strict=True):
            if spec.kind != "pdf" or demo.key in {"water-meter-procurement", "hillside-plumbing-letter"}:
                assert file_bytes(demo, spec, font, index) == (FILES_FOLDER / name).read_bytes(), name


def test_the_data_covers_every_category_with_codes_offices_and_sources_that_exist() -> None:
    counts = Counter(demo.category for demo in DEMO_DOCUMENTS)
    assert set(counts) == {category.number for category in CATEGORIES}
    assert min(counts.values()) >= 2
    assert len({demo.key for demo in DEMO_DOCUMENTS}) == len(DEMO_DOCUMENTS)
    assert all(demo.key.isascii() for demo in DEMO_DOCUMENTS)
    assert [demo.key for demo in DEMO_DOCUMENTS if not demo.title_en] == [
        "meter-dispute-guidelines",
        "booster-station-maintenance",
    ]
    offices = {office["code"] for office in OFFICES}
    codes = {scheme: {code for code, _zh, _en in table} for scheme, table in SCHEMES.items()}
    for demo in DEMO_DOCUMENTS:
        assert demo.office_code is None or demo.office_code in offices, demo.key
        for scheme, code in (
            ("theme", demo.theme_code),
            ("cake", demo.cake_code),
            ("service", demo.service_code),
        ):
            assert code == "" or code in codes[scheme], (demo.key, scheme, code)
        assert demo.source_url == "" or demo.source_url.startswith("https://"), demo.key
        assert bool(demo.source_name) == bool(demo.source_url), demo.key
    act = next(demo for demo in DEMO_DOCUMENTS if demo.key == "water-supply-act")
    assert act.source_url == "https://law.moj.gov.tw/LawClass/LawAll.aspx?pcode=J0080001"


def newest(category: int) -> DemoDocument:
    return min((demo for demo in DEMO_DOCUMENTS if demo.category == category), key=lambda demo: demo.days_ago)


def test_the_dates_keep_every_category_current_but_the_minutes() -> None:
    today = taipei_today()
    for category in CATEGORIES:
        last = today - timedelta(days=newest(category.number).days_ago)
        assert is_current(category, last, today) is (category.number != 10), category.number
    assert 140 <= newest(10).days_ago <= 160


def loaded_days_ago(demo: DemoDocument) -> set[int]:
    """How old the loaded document can be now: the suite may have crossed midnight since it loaded the demo."""
    return {demo.days_ago, demo.days_ago + 1}


def test_the_loaded_demo_has_every_category_current_but_the_minutes(app_context: None) -> None:
    states = category_states(taipei_today())
    assert [state.category.number for state in states] == list(range(1, 11))
    counts = Counter(demo.category for demo in DEMO_DOCUMENTS)
    for state in states:
        assert state.documents == counts[state.category.number]
        assert state.current is (state.category.number != 10), state.category.number
    minutes = states[9]
    assert minutes.last_update is not None
    assert (taipei_today() - minutes.last_update).days in loaded_days_ago(newest(10))
    assert BY_NUMBER[10].review_months == 3


def test_the_loaded_documents_carry_their_dates_offices_and_flags(app_context: None) -> None:
    documents = {document.title_zh: document for document in db.session.scalars(select(DisclosureDocument))}
    assert len(documents) == len(DEMO_DOCUMENTS)
    plan = documents[SERVICE_PLAN.title_zh]
    day = plan.document_date
    assert (taipei_today() - day).days in loaded_days_ago(SERVICE_PLAN)
    assert plan.created_at == datetime.combine(day, PUBLISHED_AT, tzinfo=TAIPEI)
    assert plan.updated_at == plan.created_at
    assert [(file.name, file.pages is not None) for file in plan.files] == [
        ("service-plan.pdf", True),
        ("service-plan.odt", False),
    ]
    contract = documents["汐止區加壓站機電設備維護契約"]
    assert contract.title_en == ""
    assert contract.office_id is not None
    scanned = db.session.scalars(select(DisclosureFile).where(DisclosureFile.has_text.is_(False))).all()
    assert [file.name for file in scanned] == ["hillside-plumbing-letter.pdf"]


def test_search_finds_the_service_plan_by_its_text(app_context: None) -> None:
    plan_id = db.session.scalar(
        select(DisclosureDocument.id).where(DisclosureDocument.title_zh == SERVICE_PLAN.title_zh)
    )
    results = search("提升服務效能").results
    assert ("disclosure", str(plan_id)) in {(result.kind, result.source_key) for result in results}
    # A phrase only the plan's files hold, not its title or summary.
    inside = search("水電麻吉貼心聯合服務").results
    assert {(result.kind, result.source_key) for result in inside} == {("disclosure", str(plan_id))}


def test_loading_the_demo_again_adds_nothing(app_context: None) -> None:
    before = db.session.scalar(select(func.count()).select_from(DisclosureDocument))
    assert load_demo_documents() == []
    assert db.session.scalar(select(func.count()).select_from(DisclosureDocument)) == before
