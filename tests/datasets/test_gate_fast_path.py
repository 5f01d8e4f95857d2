"""The gate's and the scanner's fast paths skip only cells that cannot hold personal data."""

from __future__ import annotations

import random

import pytest

import datasets.pii as pii
from datasets.deid import Gate
from datasets.pii import cannot_hold_personal_data, scan_text

PERSONAL = [
    "0912345678",
    "0912-345-678",
    "(02)2345-6789",
    "+886 912 345 678",
    "049-2345678",
    "A123456789",
    "a123456789",
    "someone@example.com",
    "a@b.tw",
    "4111111111111111",
    "4111 1111 1111 1111",
    "基隆市信義區信二路100號",
    "王小明",
    "０９１２３４５６７８",
]
PLAIN = ["12.50", "1234567", "2026-11-26", "12:30:05", "C2020-12", "KL", "00123", "-3.5e7", "true"]


@pytest.mark.parametrize("text", PERSONAL)
def test_nothing_the_scanner_finds_is_taken_for_plain(text: str) -> None:
    assert scan_text(text), text  # the scanner itself knows each of these
    assert not cannot_hold_personal_data(text)
    assert not cannot_hold_personal_data(f"x {text} y")


@pytest.mark.parametrize("text", PLAIN)
def test_short_ascii_without_at_is_plain(text: str) -> None:
    assert cannot_hold_personal_data(text)


def _shapes(count: int) -> list[str]:
    """ASCII texts of digit groups, letters and separators with at most eight digits."""
    generator = random.Random(7)
    texts = []
    for _ in range(count):
        digits_left = generator.randint(0, 8)
        parts = []
        while digits_left or generator.random() < 0.3:
            kind = generator.random()
            if kind < 0.5 and digits_left:
                size = generator.randint(1, digits_left)
                parts.append("".join(generator.choice("0123456789") for _ in range(size)))
                digits_left -= size
            elif kind < 0.75:
                parts.append(generator.choice(" -.()+/:#x"))
            else:
                parts.append(
                    "".join(generator.choice("ABCDEFGHXYZabcxyz") for _ in range(generator.randint(1, 3)))
                )
            if len(parts) > 12:
                break
        texts.append("".join(parts) or "-")
    return texts


def test_what_the_fast_path_skips_the_full_scanner_finds_nothing_in(monkeypatch: pytest.MonkeyPatch) -> None:
    skipped = [text for text in _shapes(20_000) if cannot_hold_personal_data(text)]
    assert len(skipped) > 10_000  # most of them are plain: the test exercises the shortcut
    monkeypatch.setattr(pii, "cannot_hold_personal_data", lambda _text: False)
    found = {text: scan_text(text) for text in skipped if scan_text(text)}
    assert found == {}


def _digit_codes() -> list[str]:
    """Codes of digits alone, 8 to 20 long, after every opening a phone or card could have."""
    generator = random.Random(11)
    openings = ["", "0", "00", "01", "02", "03", "04", "05", "06", "07", "08", "09", "1", "4", "5", "8"]
    openings += ["88", "886", "8869", "0088", "00886", "008869", "37", "49", "826", "9", "3", "6"]
    codes = []
    for opening in openings:
        for length in range(8, 21):
            for _ in range(60):
                rest = "".join(generator.choice("0123456789") for _ in range(max(0, length - len(opening))))
                codes.append((opening + rest)[:length])
    # Numbers that are personal data by construction: mobiles, landlines, cards.
    codes += ["0912345678", "0223456789", "886912345678", "00886912345678", "4111111111111111"]
    return codes


def test_digit_codes_are_skipped_only_when_the_full_scanner_finds_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    codes = _digit_codes()
    skipped = [code for code in codes if cannot_hold_personal_data(code)]
    kept = [code for code in codes if not cannot_hold_personal_data(code)]
    assert len(skipped) > 3000
    assert len(kept) > 1000
    monkeypatch.setattr(pii, "cannot_hold_personal_data", lambda _text: False)
    assert {code: scan_text(code) for code in skipped if scan_text(code)} == {}
    assert scan_text("0912345678")
    assert "0912345678" in kept
    assert "4111111111111111" in kept


def test_eight_digits_with_a_letter_are_scanned() -> None:
    assert not cannot_hold_personal_data("AB12345678")
    assert cannot_hold_personal_data("2026-11-26")


def _gate(fields: list[dict]) -> Gate:
    return Gate({"fields": fields}, b"k" * 32)


def test_the_gate_counts_skipped_cells_and_still_finds_short_personal_data_in_any_column() -> None:
    gate = _gate([{"name": "amount", "type": "number"}, {"name": "code", "type": "integer"}])
    gate.scan(2, ["12.5", "42"])
    gate.scan(3, ["a@b.tw", "7"])
    gate.scan(4, ["", "0912345678"])
    assert gate.cells_scanned == 5
    assert gate.findings == 2
    assert gate.to_dict()["by_column"] == {"amount": {"email": 1}, "code": {"phone": 1}}


def test_short_chinese_is_scanned_in_a_column_of_names() -> None:
    gate = _gate([{"name": "申請人", "type": "string"}])
    gate.scan(2, ["陳美玲"])
    assert gate.findings == 1
