"""Outgoing mail: through the SMTP server in the settings, or into the log when there is none.

In development (`MAIL_OUTBOX`, with no server) each message is also kept as an `.eml` file
in the instance folder's `outbox/`, which `/staff/outbox` lists (`portal/web/outbox.py`).
Sending never breaks the request that asked for it: a failure is logged and reported
to the caller as `False`.
"""

from __future__ import annotations

import logging
import smtplib
import uuid
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

from flask import current_app

logger = logging.getLogger(__name__)


def send_mail(to: str, subject: str, body: str) -> bool:
    """Send a plain-text message to `to`; returns whether it left (or was logged)."""
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    if not config["MAIL_SERVER"]:
        logger.info("mail not sent (no MAIL_SERVER): to=%s subject=%s", to, subject)
        if config["MAIL_OUTBOX"]:
            _keep_in_outbox(message)
        return True
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException):
        logger.exception("mail to %s failed", to)
        return False
    return True


def outbox_folder() -> Path:
    """Where development mail is kept (`MAIL_OUTBOX`)."""
    return Path(current_app.instance_path) / "outbox"


def _keep_in_outbox(message: EmailMessage) -> None:
    folder = outbox_folder()
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    (folder / f"{stamp}-{uuid.uuid4().hex[:8]}.eml").write_bytes(message.as_bytes())
