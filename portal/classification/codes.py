"""The code tables: the built-in codes, seeding them, reading them, and the choices forms offer."""

from __future__ import annotations

from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from portal.classification.models import ClassificationCode
from portal.db import db
from portal.forms import select_choices
from portal.i18n import _, _l, localized

# The three schemes of 分類檢索規範, in the order pages show them.
SCHEME_LABELS = {"theme": _l("主題分類"), "cake": _l("施政分類"), "service": _l("服務分類")}
# The attribute each scheme's code has on everything that carries codes.
CODE_ATTRIBUTES = {"theme": "theme_code", "cake": "cake_code", "service": "service_code"}

# 服務分類: the eighteen codes of the metadata standard (facts.md).
SERVICE_CODES = (
    ("100", "生育保健", "Maternity and health"),
    ("200", "出生及收養", "Birth and adoption"),
    ("300", "求學及進修", "Education"),
    ("400", "服兵役", "Military service"),
    ("500", "求職及就業", "Jobs and employment"),
    ("600", "開創事業", "Starting a business"),
    ("700", "婚姻", "Marriage"),
    ("800", "投資理財", "Investment and finance"),
    ("900", "休閒旅遊", "Leisure and travel"),
    ("A00", "交通及通訊", "Transport and communication"),
    ("B00", "就醫", "Medical care"),
    ("C00", "購屋及遷徙", "Housing and moving"),
    ("D00", "選舉及投票", "Elections"),
    ("E00", "生活安全及品質", "Safety and quality of life"),
    ("F00", "退休", "Retirement"),
    ("G00", "老年安養", "Old age"),
    ("H00", "生命禮儀", "Funerals"),
    ("I00", "公共資訊", "Public information"),
)
# 主題 and 施政 codes in use by a water utility; the full tables are loaded by an administrator
# (`flask datasets codes load FILE`), because their complete lists are not confirmed here.
THEME_CODES = (
    ("600", "公共資訊", "Public information"),
    ("640", "公共安全及災害防救", "Public safety and disaster prevention"),
    ("700", "生活環境", "Living environment"),
    ("760", "水資源", "Water resources"),
)
CAKE_CODES = (
    ("E00", "經濟", "Economy"),
    ("E30", "水利", "Water"),
)
SCHEMES = {"theme": THEME_CODES, "cake": CAKE_CODES, "service": SERVICE_CODES}


def seed_codes() -> int:
    """Add the built-in classification codes that are missing; returns how many were added."""
    existing = {(code.scheme, code.code) for code in db.session.scalars(select(ClassificationCode))}
    added = 0
    for scheme, codes in SCHEMES.items():
        for code, name_zh, name_en in codes:
            if (scheme, code) not in existing:
                db.session.add(ClassificationCode(scheme=scheme, code=code, name_zh=name_zh, name_en=name_en))
                added += 1
    return added


def codes(scheme: str) -> list[ClassificationCode]:
    """The codes of one scheme, in code order."""
    return list(
        db.session.scalars(
            select(ClassificationCode)
            .where(ClassificationCode.scheme == scheme)
            .order_by(ClassificationCode.code)
        )
    )


def code_names(scheme: str) -> dict[str, ClassificationCode]:
    """Codes of one scheme by code."""
    return {code.code: code for code in codes(scheme)}


def code_choices(scheme: str) -> list[SelectChoice]:
    """A select field's choices for one scheme: none, then each code with its name in the visitor's language."""
    return select_choices(
        [("", _("（未分類）"))]
        + [(code.code, f"{code.code} {localized(code, 'name')}") for code in codes(scheme)]
    )
