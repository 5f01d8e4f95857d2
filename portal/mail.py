"""Outgoing mail: through the SMTP server in the settings, or into the log when there is none.

Sending never breaks the request that asked for it: a failure is logged and reported
to the caller as `False`.
"""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

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
