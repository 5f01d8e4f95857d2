"""Contact details as staff lists show them: enough to tell two citizens apart, not enough to reach one.

Pure functions. A case officer sees these masked forms everywhere; the full value is shown
only when they ask for it on the case's page, and that is written to the audit log
(`case_views.reveal_contact`).
"""

from __future__ import annotations

import re

MASK = "○"
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_DIGIT = re.compile(r"\d")
# Up to and including the district (區, 鄉, 鎮, 市 after a county or city): what the office already knows.
_DISTRICT_PREFIX = re.compile(r"^(.{0,6}?[縣市].{1,4}?[區鄉鎮市])")


def mask_name(name: str) -> str:
    """王小明 → 王○明, 王明 → 王○, John Smith → J○○○ S○○○○: the first and (for three or more) last character kept."""
    name = name.strip()
    if not name:
        return ""
    if _HAN.search(name):
        if len(name) <= 2:
            return name[0] + MASK
        return name[0] + MASK * (len(name) - 2) + name[-1]
    return " ".join(word[0] + MASK * (len(word) - 1) for word in name.split())


def mask_email(email: str | None) -> str:
    """wang.xm@example.org → w○○○○○○@example.org: the first character and the domain kept."""
    if not email:
        return ""
    local, at, domain = email.strip().rpartition("@")
    if not at or not local:
        return MASK * len(email)
    return local[0] + MASK * max(len(local) - 1, 3) + "@" + domain


def mask_phone(phone: str | None) -> str:
    """0912-345-678 → ○○○○-○○○-678: every digit but the last three hidden, the layout kept."""
    if not phone:
        return ""
    digits = len(_DIGIT.findall(phone))
    keep_from = max(digits - 3, 0)
    seen = 0
    masked = []
    for character in phone:
        if character.isdigit():
            masked.append(character if seen >= keep_from else MASK)
            seen += 1
        else:
            masked.append(character)
    return "".join(masked)


def mask_address(address: str | None) -> str:
    """新北市板橋區文化路一段1號 → 新北市板橋區○○○: the city and district kept, the rest hidden."""
    if not address:
        return ""
    match = _DISTRICT_PREFIX.match(address.strip())
    return (match.group(1) if match else "") + MASK * 3
