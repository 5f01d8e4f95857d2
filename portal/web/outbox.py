"""The development outbox: the newest messages the site would have mailed, for administrators.

Registered only with `MAIL_OUTBOX` set, and answering 404 once a `MAIL_SERVER` is set.
It lets a developer follow a case's mail (receipt, confirmation link, replies) without an
SMTP server. The messages are read from the `.eml` files `portal/mail.py` keeps.
"""

from __future__ import annotations

from email import policy
from email.parser import BytesParser
from typing import Any

from flask import Blueprint, abort, current_app, render_template

from portal.auth import Permission, permission_required
from portal.mail import outbox_folder

bp = Blueprint("outbox", __name__, url_prefix="/staff/outbox")
SHOWN = 50


def _messages() -> list[dict[str, str]]:
    folder = outbox_folder()
    files = sorted(folder.glob("*.eml"), reverse=True)[:SHOWN] if folder.is_dir() else []
    parser = BytesParser(policy=policy.default)
    messages = []
    for path in files:
        message = parser.parsebytes(path.read_bytes())
        body = message.get_body(preferencelist=("plain",))
        messages.append(
            {
                "id": path.stem,
                "to": str(message["To"] or ""),
                "subject": str(message["Subject"] or ""),
                "body": body.get_content() if body is not None else "",
            }
        )
    return messages


@bp.route("/")
@permission_required(Permission.MANAGE_SITE)
def messages() -> Any:
    """The newest messages kept in the development outbox."""
    if current_app.config["MAIL_SERVER"]:
        abort(404)
    return render_template("staff/outbox.html", messages=_messages())
