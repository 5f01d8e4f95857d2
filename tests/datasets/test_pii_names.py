"""Names without a title or label beside them, told from words that begin with a surname."""

from __future__ import annotations

import pytest

from datasets.pii import scan_text
from datasets.pii.names import find_names, name_model


def names(text: str) -> list[str]:
    return [finding.text for finding in scan_text(text) if finding.kind == "name"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("蘇怡萱表示水壓太低", ["蘇怡萱"]),
        ("請轉告吳俊霖回電", ["吳俊霖"]),
        ("葛玉珠的帳單有誤", ["葛玉珠"]),
        ("張廖淑惠和鄰居都停水", ["張廖淑惠"]),
        ("由端木子瑜代為申請", ["端木子瑜"]),
        ("今早司徒嘉文到櫃台補件", ["司徒嘉文"]),
        ("水費由陳林秀英繳納", ["陳林秀英"]),
        ("已與許瑋甯聯繫，約定明日會勘", ["許瑋甯"]),
        ("通知單寄給粘芃羿了", ["粘芃羿"]),
        ("昨天柯宥騰和黃姵岑都來電", ["柯宥騰", "黃姵岑"]),
        ("承辦員回覆：林宥嘉的申請已完成", ["林宥嘉"]),
        ("葉倩說家裡沒水", ["葉倩"]),
    ],
)
def test_names_without_cue_words(text: str, expected: list[str]) -> None:
    assert names(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "林務局表示周邊道路施工",
        "高架橋下的管線漏水",
        "民眾陳述意見很方便",
        "楊梅區與石門區停水",
        "江邊的溫泉旅館常常停水",
        "退費金額有誤",
        "黃昏時段水壓偏低",
        "曾經停水三次",
        "管線連接處漏水，馬達故障",
        "何時恢復供水",
        "許可證已核發",
        "張貼公告於里辦公處",
        "洪水過後水質混濁",
        "金山區與萬里區的水塔",
        "連續三天沒水，方便的話請派員",
        "高壓管線破裂，程度輕微",
    ],
)
def test_words_that_begin_with_a_surname_are_not_names(text: str) -> None:
    assert names(text) == []


def test_offsets_of_names_are_offsets_in_the_original_text() -> None:
    text = "用戶反映：蘇怡萱、張廖淑惠兩戶停水。"
    spans = find_names(text)
    assert [text[start:end] for start, end in spans] == ["蘇怡萱", "張廖淑惠"]


def test_names_inside_addresses_are_left_to_the_address() -> None:
    found = scan_text("住址：臺北市中山區林森北路100號")
    assert [finding.kind for finding in found] == ["address"]


def test_names_next_to_non_chinese_text() -> None:
    assert names("Tel 0912345678 吳俊霖 2026-11-30") == ["吳俊霖"]


def test_the_model_is_built_once_and_keeps_offsets_through_simplification() -> None:
    model = name_model()
    assert model is name_model()
    assert len("臺灣蘇".translate(model.simplify)) == 3
