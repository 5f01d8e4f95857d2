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


# English names of the cities and districts the 1st Branch serves or borders, as the
# government's own English pages write them; a name not listed is shown as written.
_CITIES_EN = {"基隆市": "Keelung City", "新北市": "New Taipei City", "臺北市": "Taipei City", "台北市": "Taipei City",
              "宜蘭縣": "Yilan County", "桃園市": "Taoyuan City"}  # fmt: skip
_DISTRICTS_EN = {
    "中正區": "Zhongzheng", "信義區": "Xinyi", "仁愛區": "Ren'ai", "中山區": "Zhongshan", "安樂區": "Anle",
    "暖暖區": "Nuannuan", "七堵區": "Qidu", "汐止區": "Xizhi", "瑞芳區": "Ruifang", "雙溪區": "Shuangxi",
    "貢寮區": "Gongliao", "平溪區": "Pingxi", "萬里區": "Wanli", "金山區": "Jinshan", "石門區": "Shimen",
    "三芝區": "Sanzhi", "淡水區": "Tamsui", "八里區": "Bali", "板橋區": "Banqiao", "三重區": "Sanchong",
    "中和區": "Zhonghe", "永和區": "Yonghe", "新莊區": "Xinzhuang", "新店區": "Xindian", "樹林區": "Shulin",
    "鶯歌區": "Yingge", "三峽區": "Sanxia", "土城區": "Tucheng", "蘆洲區": "Luzhou", "五股區": "Wugu",
    "泰山區": "Taishan", "林口區": "Linkou", "深坑區": "Shenkeng", "石碇區": "Shiding", "坪林區": "Pinglin",
    "烏來區": "Wulai",
}  # fmt: skip


def english_district(name: str) -> str:
    """`基隆市信義區` as `Xinyi District, Keelung City`; a name not known is returned as written."""
    found = _CITY.match(name)
    if found is None:
        return name
    city, district = found.groups()
    if city not in _CITIES_EN or district not in _DISTRICTS_EN:
        return name
    return f"{_DISTRICTS_EN[district]} District, {_CITIES_EN[city]}"
