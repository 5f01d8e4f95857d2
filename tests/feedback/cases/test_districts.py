"""Reading offices' service areas into districts, and finding the office for an address."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from feedback.cases.districts import all_districts, districts_of, english_district, office_for_district


@dataclass
class Office:
    code: str
    service_area_zh: str


OFFICES = [
    Office("XS", "基隆市及新北市汐止區供水"),
    Office("KL", "基隆市中正區、信義區、仁愛區、中山區、安樂區、暖暖區、七堵區"),
    Office("XZ", "新北市汐止區"),
    Office("GS", "新北市貢寮區、雙溪區、瑞芳區"),
]


@pytest.mark.parametrize(
    ("area", "expected"),
    [
        ("基隆市中正區、信義區", ["基隆市中正區", "基隆市信義區"]),
        ("新北市汐止區", ["新北市汐止區"]),
        ("新北市貢寮區，雙溪區 瑞芳區", ["新北市貢寮區", "新北市雙溪區", "新北市瑞芳區"]),
        ("宜蘭縣頭城鎮、礁溪鄉、宜蘭市", ["宜蘭縣頭城鎮", "宜蘭縣礁溪鄉", "宜蘭縣宜蘭市"]),
        ("基隆市及新北市汐止區供水", []),
        ("信義區、仁愛區", []),  # no city named: no guess
        ("", []),
    ],
)
def test_service_areas_read_as_full_district_names(area: str, expected: list[str]) -> None:
    assert districts_of(area) == expected


def test_the_office_for_a_district_is_the_one_that_serves_it_not_a_works() -> None:
    assert office_for_district(OFFICES, "基隆市七堵區") == "KL"
    assert office_for_district(OFFICES, "新北市汐止區") == "XZ"
    assert office_for_district(OFFICES, "新北市瑞芳區") == "GS"
    assert office_for_district(OFFICES, "臺北市中正區") is None


def test_every_district_is_listed_once_with_its_office() -> None:
    listed = all_districts(OFFICES)
    assert listed[0] == ("基隆市中正區", "KL")
    assert len(listed) == len({name for name, _office in listed}) == 11


def test_districts_read_in_english_as_the_government_writes_them() -> None:
    assert english_district("基隆市信義區") == "Xinyi District, Keelung City"
    assert english_district("新北市汐止區") == "Xizhi District, New Taipei City"
    assert english_district("花蓮縣秀林鄉") == "花蓮縣秀林鄉"  # not known: as written
    assert all(english_district(name) != name for name, _office in all_districts(OFFICES))
