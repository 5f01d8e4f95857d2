"""Staff pages for API keys: each member sees and manages their own; administrators see all."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import SelectField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from portal.apikeys.models import ApiKey
from portal.apikeys.services import SCOPES, confirm_key, issue_key, revoke_key
from portal.auth import Permission, staff_required
from portal.auth.forms import MultiCheckboxField
from portal.db import db, utcnow
from portal.forms import LineField, select_choices
from portal.i18n import _, _l

bp = Blueprint("apikeys", __name__, url_prefix="/staff")

LIFETIMES = (("90", _l("90 天")), ("30", _l("30 天")), ("365", _l("一年")))


class KeyForm(FlaskForm):
    """A new key: what it is for, what it may do, how long it lives."""

    name = LineField(
        _l("用途"),
        validators=[DataRequired(message=_l("請說明這把金鑰的用途。")), Length(max=100)],
        description=_l("例如：每日停水資料自動發布"),
    )
    scopes = MultiCheckboxField(_l("權限範圍"))
    lifetime = SelectField(_l("有效期間"), choices=select_choices(LIFETIMES), default="90")
    submit = SubmitField(_l("建立金鑰"))

    def validate_scopes(self, field: MultiCheckboxField) -> None:
        """At least one scope, and only scopes the owner's roles allow."""
        from wtforms.validators import ValidationError

        if not field.data:
            raise ValidationError(_("請至少選一個權限範圍。"))


class RevokeForm(FlaskForm):
    """A button that revokes a key."""

    submit = SubmitField(_l("撤銷"))


class ConfirmKeyForm(FlaskForm):
    """A button with which the owner confirms a key suspended after a password change."""

    submit = SubmitField(_l("確認仍要使用"))


def _allowed_scopes() -> list[SelectChoice]:
    return select_choices(
        (scope, str(label)) for scope, (label, permission) in SCOPES.items() if g.staff.can(permission)
    )


def _visible_keys() -> list[ApiKey]:
    query = select(ApiKey).order_by(ApiKey.created_at.desc())
    if not g.staff.can(Permission.MANAGE_STAFF):
        query = query.where(ApiKey.staff_id == g.staff.id)
    return list(db.session.scalars(query))


@bp.route("/api-keys", methods=["GET", "POST"])
@staff_required
def key_list() -> Any:
    """Your keys (every key, for administrators), and a form for a new one."""
    form = KeyForm()
    form.scopes.choices = _allowed_scopes()
    token = None
    if form.validate_on_submit():
        assert form.name.data is not None
        days = int(form.lifetime.data or 90)
        issued = issue_key(
            g.staff, form.name.data, list(form.scopes.data or []), utcnow() + timedelta(days=days)
        )
        db.session.commit()
        token = issued.token
        form = KeyForm(formdata=None)
        form.scopes.choices = _allowed_scopes()
    status = 400 if request.method == "POST" and token is None else 200
    return (
        render_template(
            "staff/apikeys/list.html",
            form=form,
            keys=_visible_keys(),
            token=token,
            revoke_form=RevokeForm(),
            confirm_form=ConfirmKeyForm(),
            scope_labels={scope: label for scope, (label, _permission) in SCOPES.items()},
            now=utcnow(),
        ),
        status,
    )


def _key_or_404(key_id: int, *, owner_only: bool) -> ApiKey:
    """The key, if the signed-in member owns it (or, unless `owner_only`, administers staff)."""
    key = db.session.get(ApiKey, key_id)
    if key is None:
        abort(404)
    if key.staff_id != g.staff.id and (owner_only or not g.staff.can(Permission.MANAGE_STAFF)):
        abort(403)
    return key


@bp.route("/api-keys/<int:key_id>/revoke", methods=["POST"])
@staff_required
def key_revoke(key_id: int) -> Any:
    """Revoke a key (its owner, or an administrator)."""
    key = _key_or_404(key_id, owner_only=False)
    if RevokeForm().validate_on_submit():
        revoke_key(key)
        db.session.commit()
        flash(_("已撤銷金鑰 %(prefix)s。", prefix=key.prefix), "success")
    return redirect(url_for("apikeys.key_list"))


@bp.route("/api-keys/<int:key_id>/confirm", methods=["POST"])
@staff_required
def key_confirm(key_id: int) -> Any:
    """The owner confirms a key suspended after a password reset or change (only the owner may)."""
    key = _key_or_404(key_id, owner_only=True)
    if key.revoked_at is not None or key.suspended_at is None:
        abort(409)
    if ConfirmKeyForm().validate_on_submit():
        confirm_key(key)
        db.session.commit()
        flash(_("金鑰 %(prefix)s 已恢復使用。", prefix=key.prefix), "success")
    return redirect(url_for("apikeys.key_list"))
