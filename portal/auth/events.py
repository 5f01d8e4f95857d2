"""What happens to staff accounts that other parts of the site act on.

Senders are in `portal.auth.services`; receivers connect in their own `init_app`
(API keys suspend themselves on a password reset and are revoked with a disabled
account), so the account code does not import them. Receivers run inside the change's
transaction, before the caller commits, and return a short description of what they did
for the page that made the change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from blinker import Namespace

if TYPE_CHECKING:
    from portal.auth.models import Staff

_signals = Namespace()

# sent with staff=..., by_owner=bool: an administrator reset the password, or the owner changed it
password_replaced = _signals.signal("staff-password-replaced")
# sent with staff=...: the account was disabled
account_disabled = _signals.signal("staff-account-disabled")


def notify(signal: Any, staff: Staff, **details: Any) -> list[str]:
    """Send `signal` for `staff` within the current application; the receivers' descriptions."""
    from flask import current_app

    results = signal.send(current_app._get_current_object(), staff=staff, **details)  # type: ignore[attr-defined]
    return [str(value) for _receiver, value in results if value]
