"""The case types a new site starts with: the opinion mailbox's kinds and the common applications.

`seed_case_types` adds the ones missing (by code) and never changes one that exists, so
administrators' edits to names, handling times and offices survive every `flask setup`.
Handling times are working days counted from the working day after receipt.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from feedback.cases.models import CaseType
from feedback.cases.states import CaseKind


@dataclass(frozen=True)
class SeedType:
    """A case type as first seeded."""

    code: str
    kind: CaseKind
    name_zh: str
    name_en: str
    working_days: int
    description_zh: str
    description_en: str
    pauses_when_waiting: bool = True


SEEDS: tuple[SeedType, ...] = (
    SeedType(
        "complaint",
        CaseKind.COMPLAINT,
        "陳情與申訴",
        "Complaint",
        6,
        "對供水、抄表、帳單、施工或服務態度的不滿，我們會查明並回覆處理結果。",
        "Something went wrong with supply, meter reading, bills, works or service: we look into it and reply.",
    ),
    SeedType(
        "suggestion",
        CaseKind.SUGGESTION,
        "建議",
        "Suggestion",
        10,
        "對服務或措施的改進建議，我們會評估並回覆是否採行。",
        "An idea to improve our service: we assess it and tell you whether we take it up.",
    ),
    SeedType(
        "inquiry",
        CaseKind.INQUIRY,
        "詢問",
        "Question",
        3,
        "關於用水、費用或申辦方式的問題。",
        "A question about water use, charges or how to apply for something.",
    ),
    SeedType(
        "commendation",
        CaseKind.COMMENDATION,
        "表揚",
        "Commendation",
        3,
        "表揚同仁的服務，我們會轉知當事人與主管。",
        "Praise for a member of staff: we pass it on to them and their supervisor.",
        pauses_when_waiting=False,
    ),
    SeedType(
        "new-connection",
        CaseKind.APPLICATION,
        "新設用水（裝表）",
        "New water connection",
        10,
        "新建或未供水的房屋申請接水裝表；會先會勘，再通知繳費與施工日期。",
        "Connecting a new or unconnected building; we survey the site first, then tell you the fee and date.",
    ),
    SeedType(
        "transfer-of-ownership",
        CaseKind.APPLICATION,
        "用戶過戶",
        "Transfer of the account",
        3,
        "房屋買賣或繼承後，把水號的用戶名稱改為新所有人或使用人。",
        "After a sale or inheritance, the account is put in the new owner's or occupant's name.",
    ),
    SeedType(
        "leak-fee-reduction",
        CaseKind.APPLICATION,
        "漏水水費減免",
        "Leak fee reduction",
        7,
        "屋內管線漏水已修復，申請減收漏水期間的水費；需附修復證明。",
        "A leak in your own pipes has been repaired: apply to pay less for the water lost (proof of repair needed).",
    ),
    SeedType(
        "meter-check",
        CaseKind.APPLICATION,
        "水表檢驗",
        "Meter accuracy check",
        10,
        "懷疑水表不準，申請拆回檢驗；檢驗合格者需負擔檢驗費。",
        "You think your meter is wrong: we test it (you pay the test fee if it proves accurate).",
    ),
    SeedType(
        "water-quality",
        CaseKind.INQUIRY,
        "水質檢驗諮詢",
        "Water quality check",
        5,
        "自來水有顏色、異味或沉澱，我們會派員採樣檢驗並說明結果。",
        "Your water has a colour, smell or sediment: we take a sample, test it and explain the result.",
    ),
    SeedType(
        "suspension",
        CaseKind.APPLICATION,
        "申請停水（停止用水）",
        "Suspending supply",
        3,
        "房屋空置或拆除，申請暫停或終止供水。",
        "The building is empty or to be demolished: apply to suspend or end the supply.",
    ),
    SeedType(
        "resumption",
        CaseKind.APPLICATION,
        "申請復水",
        "Resuming supply",
        2,
        "停水後申請恢復供水；欠費停水者請先繳清。",
        "Apply to have a suspended supply turned back on (settle any unpaid bills first).",
    ),
)


def seed_case_types(session: Session) -> int:
    """Add every seeded case type that is missing; returns how many were added."""
    existing = set(session.scalars(select(CaseType.code)))
    added = 0
    for order, seed in enumerate(SEEDS):
        if seed.code in existing:
            continue
        session.add(
            CaseType(
                code=seed.code,
                kind=seed.kind.value,
                name_zh=seed.name_zh,
                name_en=seed.name_en,
                description_zh=seed.description_zh,
                description_en=seed.description_en,
                working_days=seed.working_days,
                pauses_when_waiting=seed.pauses_when_waiting,
                sort_order=order * 10,
            )
        )
        added += 1
    session.flush()
    return added
