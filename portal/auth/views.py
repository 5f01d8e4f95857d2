"""Staff sign-in, own account, and administrators' management of staff accounts."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from sqlalchemy import or_, select
from wtforms.fields.choices import SelectChoice

from portal.auth import devices
from portal.auth.decorators import (
    no_login_required,
    permission_required,
    safe_next_url,
    staff_required,
)
from portal.auth.forms import ConfirmForm, LoginForm, PasswordChangeForm, StaffForm
from portal.auth.login import LoginOutcome, attempt_login, longest_delay_minutes, refusal_message
from portal.auth.models import Staff
from portal.auth.roles import Permission, Role
from portal.auth.services import (
    StaffDetails,
    StaffError,
    change_own_password,
    create_staff,
    login_waits,
    reset_password,
    unlock,
    update_staff,
)
from portal.auth.sessions import logout
from portal.db import contains_pattern, db
from portal.forms import select_choices
from portal.i18n import _
from portal.offices.models import Office
from portal.pagination import paginate, requested_page_number

bp = Blueprint("auth", __name__, url_prefix="/staff")


def login_limit() -> str:
    """The rate limit on login attempts, from the configuration."""
    return current_app.config["RATELIMIT_LOGIN"]


@bp.route("/login", methods=["GET", "POST"])
@no_login_required
def login() -> Any:
    """Sign in with user name and password."""
    next_path = safe_next_url(request.args.get("next"), "")
    target = request.script_root + next_path if next_path else url_for("dashboard.dashboard")
    if g.get("staff") is not None:
        return redirect(target)
    form = LoginForm()
    if form.validate_on_submit():
        result = attempt_login(form.username.data or "", form.password.data or "")
        if result.outcome is LoginOutcome.SUCCESS and result.staff is not None:
            flash(_("您已登入。"), "success")
            response = redirect(target)
            devices.remember(response, result.staff)
            return response
        form.password.errors = [refusal_message(result)]
        if result.outcome is LoginOutcome.THROTTLED:
            page = render_template("staff/login.html", form=form, longest=longest_delay_minutes())
            return page, 429, {"Retry-After": str(result.retry_after)}
        return render_template("staff/login.html", form=form, longest=longest_delay_minutes()), 200
    if request.method == "POST":
        return render_template("staff/login.html", form=form, longest=longest_delay_minutes()), 400
    return render_template("staff/login.html", form=form, longest=longest_delay_minutes())


@bp.route("/logout", methods=["POST"])
@staff_required
def logout_view() -> Any:
    """Sign out (a POST with a CSRF token, so no link can sign anyone out)."""
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    logout()
    flash(_("您已登出。"), "success")
    return redirect(url_for("web.home"))


@bp.route("/account/password", methods=["GET", "POST"])
@staff_required
def change_password() -> Any:
    """The signed-in staff member changes their own password."""
    staff: Staff = g.staff
    form = PasswordChangeForm(username=staff.username)
    if form.validate_on_submit():
        try:
            notices = change_own_password(
                staff, form.current_password.data or "", form.new_password.data or ""
            )
        except StaffError as error:
            db.session.commit()  # the failed check is counted; nothing else has changed
            form[error.field or "new_password"].errors = [str(error)]
            if error.retry_after:
                page = render_template("staff/password.html", form=form)
                return page, 429, {"Retry-After": str(error.retry_after)}
        else:
            db.session.commit()
            flash(_("密碼已變更。您在其他裝置上的登入已結束。"), "success")
            for notice in notices:
                flash(notice, "notice")
            return redirect(url_for("dashboard.dashboard"))
    status = 400 if request.method == "POST" else 200
    return render_template("staff/password.html", form=form), status


def _office_choices() -> list[SelectChoice]:
    offices = db.session.scalars(select(Office).order_by(Office.sort_order, Office.code))
    return select_choices(
        [("", _("（不屬任何單位）"))]
        + [(str(office.id), f"{office.code} {office.name_zh}") for office in offices]
    )


def _details_from(form: StaffForm) -> StaffDetails:
    return StaffDetails(
        username=form.username.data or "",
        display_name=form.display_name.data or "",
        email=form.email.data or None,
        office_id=int(form.office_id.data) if form.office_id.data else None,
        roles=frozenset(Role(value) for value in form.roles.data or []),
        active=bool(form.active.data),
    )


@bp.route("/accounts")
@permission_required(Permission.MANAGE_STAFF)
def staff_list() -> Any:
    """All staff accounts, searchable and paged."""
    query = select(Staff).order_by(Staff.username)
    search = (request.args.get("q") or "").strip()[:64]
    if search:
        pattern = contains_pattern(search)
        query = query.where(
            or_(Staff.username.ilike(pattern, escape="\\"), Staff.display_name.ilike(pattern, escape="\\"))
        )
    page = paginate(db.session, query, requested_page_number())
    waiting = set(login_waits(list(page.items)))
    return render_template("staff/accounts/list.html", page=page, search=search, waiting=waiting)


@bp.route("/accounts/new", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_STAFF)
def staff_new() -> Any:
    """Create a staff account with a temporary password."""
    form = StaffForm()
    form.office_id.choices = _office_choices()
    if form.validate_on_submit():
        if not form.password.data:
            form.password.errors = [_("新帳號必須設定初始密碼。")]
        else:
            try:
                staff = create_staff(_details_from(form), form.password.data)
            except StaffError as error:
                form[error.field or "username"].errors = [str(error)]
            else:
                db.session.commit()
                flash(_("已建立帳號 %(username)s。", username=staff.username), "success")
                return redirect(url_for("auth.staff_list"))
    status = 400 if request.method == "POST" else 200
    return render_template("staff/accounts/edit.html", form=form, staff=None), status


def _staff_or_404(staff_id: int) -> Staff:
    staff = db.session.get(Staff, staff_id)
    if staff is None:
        abort(404)
    return staff


@bp.route("/accounts/<int:staff_id>", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_STAFF)
def staff_edit(staff_id: int) -> Any:
    """Change a staff account; a password typed here replaces it as a temporary one."""
    staff = _staff_or_404(staff_id)
    form = StaffForm(obj=staff) if request.method == "GET" else StaffForm()
    form.office_id.choices = _office_choices()
    form.password.label.text = _("重設臨時密碼")
    form.password.description = _(
        "留空則不變更。填寫後，本人下次登入時必須改成自己的密碼，其他裝置上的登入也會結束。"
    )
    if request.method == "GET":
        form.office_id.data = str(staff.office_id or "")
        form.roles.data = sorted(role.value for role in staff.roles)
    if form.validate_on_submit():
        try:
            update_staff(staff, _details_from(form))
            notices = reset_password(staff, form.password.data) if form.password.data else []
        except StaffError as error:
            db.session.rollback()
            form[error.field or "username"].errors = [str(error)]
        else:
            db.session.commit()
            flash(_("已更新帳號 %(username)s。", username=staff.username), "success")
            for notice in notices:
                flash(notice, "notice")
            return redirect(url_for("auth.staff_list"))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "staff/accounts/edit.html",
        form=form,
        staff=staff,
        unlock_form=ConfirmForm(),
        waiting_until=login_waits([staff]).get(staff.id),
    ), status


@bp.route("/accounts/<int:staff_id>/unlock", methods=["POST"])
@permission_required(Permission.MANAGE_STAFF)
def staff_unlock(staff_id: int) -> Any:
    """Clear the wait that failed logins put on the account's name."""
    staff = _staff_or_404(staff_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    unlock(staff)
    db.session.commit()
    flash(_("已解除 %(username)s 的登入等待。", username=staff.username), "success")
    return redirect(url_for("auth.staff_edit", staff_id=staff.id))
