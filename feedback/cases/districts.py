"""Which office serves an address: the districts each office's service area names (pure).

An office's service area is written as people write it, 「基隆市中正區、信義區、仁愛區」:
the city is named once and carried on to the districts after it. `districts_of` reads
that into full names (基隆市中正區, 基隆市信義區, …); a part that is not a district (a
works' 「基隆市及新北市汐止區供水」) names none. `office_for_district` finds the first
office whose area names a district, so the intake form can suggest it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Protocol

_CITY = re.compile(r"^(.+?[市縣])(.+[區鄉鎮市])$")
_DISTRICT = re.compile(r"^[^\s、，,]{1,4}[區鄉鎮市]$")
_SEPARATORS = re.compile(r"[、，,；;\s]+")


class ServesArea(Protocol):
    """What an office needs for this: its code and its service area in Chinese."""

    code: str
    service_area_zh: str


def districts_of(service_area: str) -> list[str]:
    """The full district names a service area lists, in order, the city carried forward."""
    names: list[str] = []
    city = ""
    for part in _SEPARATORS.split(service_area.strip()):
        if not part:
            continue
        found = _CITY.match(part)
        if found:
            city, district = found.groups()
            if _DISTRICT.match(district):
                names.append(city + district)
            continue
        if city and _DISTRICT.match(part):
            names.append(city + part)
    return names


def office_for_district(offices: Iterable[ServesArea], district: str) -> str | None:
    """The code of the first office whose service area names `district`, or None."""
    for office in offices:
        if district in districts_of(office.service_area_zh):
            return office.code
    return None


def all_districts(offices: Sequence[ServesArea]) -> list[tuple[str, str]]:
    """Every district the offices serve with the office that serves it, in the offices' order."""
    seen: dict[str, str] = {}
    for office in offices:
        for district in districts_of(office.service_area_zh):
            seen.setdefault(district, office.code)
    return list(seen.items())
