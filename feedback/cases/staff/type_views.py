"""The case types administrators keep: names in both languages, kind, handling time, pause rule, office.

A type's code is its Open311 service code and the mailbox's link parameter, so it is set
once and never changed; a type that is no longer offered is made inactive rather than
deleted, since cases and figures refer to it. Each change is audited (`CaseType` is an
audited model). A new handling time applies to cases opened from then on: a case keeps
the working days it was opened with.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import BooleanField, IntegerField, SelectField, SubmitField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from feedback.cases.labels import KIND_LABELS
from feedback.cases.models import CaseType
from feedback.cases.staff import bp
from feedback.cases.states import CaseKind
from portal.auth import Permission, permission_required
from portal.db import db
from portal.forms import LineField, MultilineField
from portal.i18n import _, _l, localized
from portal.offices.models import Office

MAX_WORKING_DAYS = 90
MAX_ID = 2**31 - 1


def _required(message: Any) -> DataRequired:
    return DataRequired(message=message)


class CaseTypeForm(FlaskForm):
    """One case type."""

    code = LineField(
        _l("代碼"),
        description=_l("小寫英文字母、數字與連字號，例如 meter-check；建立後不能修改。"),
        validators=[
            _required(_l("請填寫代碼。")),
            Length(max=40),
            Regexp(
                r"^[a-z][a-z0-9-]*$", message=_l("代碼只能使用小寫英文字母、數字與連字號，並以字母開頭。")
            ),
        ],
    )
    kind = SelectField(_l("性質"), validators=[_required(_l("請選擇性質。"))])
    name_zh = LineField(_l("名稱（中文）"), validators=[_required(_l("請填寫中文名稱。")), Length(max=100)])
    name_en = LineField(_l("名稱（英文）"), validators=[_required(_l("請填寫英文名稱。")), Length(max=160)])
    working_days = IntegerField(
        _l("處理期限（工作天）"),
        validators=[
            _required(_l("請填寫處理期限。")),
            NumberRange(
                min=1,
                max=MAX_WORKING_DAYS,
                message=_l("請填 1 到 %(max)d 之間的數字。", max=MAX_WORKING_DAYS),
            ),
        ],
    )
    pauses_when_waiting = BooleanField(_l("等待民眾補充資料期間暫停計算期限"))
    office = SelectField(
        _l("預設承辦單位"), description=_l("地址無法判斷單位時，由這個單位承辦。"), validators=[Optional()]
    )
    description_zh = MultilineField(_l("說明（中文）"), validators=[Optional(), Length(max=2000)])
    description_en = MultilineField(_l("說明（英文）"), validators=[Optional(), Length(max=3000)])
    web_intake = BooleanField(_l("開放民眾線上申辦"))
    active = BooleanField(_l("使用中"))
    sort_order = IntegerField(_l("排序"), validators=[Optional(), NumberRange(min=0, max=9999)])
    submit = SubmitField(_l("儲存"))


def _fill(form: CaseTypeForm) -> None:
    form.kind.choices = [(kind.value, str(KIND_LABELS[kind])) for kind in CaseKind]
    offices = db.session.scalars(select(Office).order_by(Office.sort_order, Office.code))
    form.office.choices = [("", _("不指定"))] + [
        (office.code, localized(office, "name")) for office in offices
    ]


@bp.route("/types")
@permission_required(Permission.MANAGE_CASE_TYPES)
def type_list() -> Any:
    """Every case type, in use or not."""
    types = list(db.session.scalars(select(CaseType).order_by(CaseType.sort_order, CaseType.code)))
    offices = {office.id: office for office in db.session.scalars(select(Office))}
    return render_template("cases/staff/types.html", types=types, offices=offices, kind_labels=KIND_LABELS)


def _save(form: CaseTypeForm, target: CaseType) -> None:
    office = (
        db.session.scalar(select(Office).where(Office.code == form.office.data)) if form.office.data else None
    )
    for name in ("kind", "name_zh", "name_en", "working_days", "pauses_when_waiting", "web_intake", "active"):
        setattr(target, name, getattr(form, name).data)
    target.description_zh = (form.description_zh.data or "").strip()
    target.description_en = (form.description_en.data or "").strip()
    target.office_id = office.id if office else None
    target.sort_order = form.sort_order.data or 0
    db.session.add(target)
    db.session.commit()


def _edit(case_type: CaseType | None) -> Any:
    form = CaseTypeForm(obj=case_type)
    _fill(form)
    if request.method == "GET":
        if case_type is None:
            form.active.data = form.web_intake.data = form.pauses_when_waiting.data = True
        elif case_type.office_id:
            office = db.session.get(Office, case_type.office_id)
            form.office.data = office.code if office else ""
    if case_type is not None:
        form.code.data = case_type.code  # fixed once made
    if form.validate_on_submit():
        taken = db.session.scalar(select(func.count(CaseType.id)).where(CaseType.code == form.code.data))
        if case_type is None and taken:
            form.code.errors = [_("這個代碼已有類別使用。")]
        else:
            target = case_type or CaseType(code=form.code.data)
            _save(form, target)
            flash(_("已儲存案件類別 %(name)s。", name=localized(target, "name")), "success")
            return redirect(url_for("cases_staff.type_list"))
    status = 400 if request.method == "POST" else 200
    return render_template("cases/staff/type_edit.html", form=form, case_type=case_type), status


@bp.route("/types/new", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_CASE_TYPES)
def type_new() -> Any:
    """Add a case type."""
    return _edit(None)


@bp.route("/types/<int:type_id>", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_CASE_TYPES)
def type_edit(type_id: int) -> Any:
    """Change a case type (not its code)."""
    # An id past the column's range is no type (the database would refuse to compare it).
    case_type = db.session.get(CaseType, type_id) if type_id <= MAX_ID else None
    if case_type is None:
        abort(404)
    return _edit(case_type)
