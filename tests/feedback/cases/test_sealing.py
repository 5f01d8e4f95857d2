"""Sealing citizens' data: what goes in comes out, with the right key only, and nothing altered passes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from feedback.cases.sealing import KeyRing, SealError

OLD = "old:" + "o" * 40
NEW = "new:" + "n" * 40


def test_text_comes_back_as_it_went_in_and_is_never_stored_readable() -> None:
    ring = KeyRing.parse(NEW)
    sealed = ring.seal("王小明 0912-345-678 wang@example.org")
    assert ring.open(sealed) == "王小明 0912-345-678 wang@example.org"
    assert "0912" not in sealed
    assert "example" not in sealed
    assert sealed.startswith("s1.new.")


@given(st.text(max_size=300))
def test_any_text_round_trips(text: str) -> None:
    ring = KeyRing.parse(NEW)
    assert ring.open(ring.seal(text)) == text


def test_the_same_text_sealed_twice_reads_differently() -> None:
    ring = KeyRing.parse(NEW)
    assert ring.seal("同一段文字") != ring.seal("同一段文字")


def test_a_rotated_ring_opens_the_old_key_and_seals_with_the_new() -> None:
    before = KeyRing.parse(OLD)
    sealed = before.seal("舊的聯絡電話")
    after = KeyRing.parse(f"{NEW},{OLD}")
    assert after.open(sealed) == "舊的聯絡電話"
    assert after.needs_resealing(sealed)
    resealed = after.seal(after.open(sealed))
    assert not after.needs_resealing(resealed)
    assert KeyRing.parse(NEW).open(resealed) == "舊的聯絡電話"


def test_a_value_sealed_with_a_key_no_longer_held_is_refused() -> None:
    sealed = KeyRing.parse(OLD).seal("x")
    with pytest.raises(SealError, match="no longer holds"):
        KeyRing.parse(NEW).open(sealed)


def test_an_altered_value_or_one_moved_under_another_key_name_fails_to_open() -> None:
    ring = KeyRing.parse(f"{NEW},{OLD}")
    sealed = ring.seal("地址：基隆市信義區")
    body = sealed.split(".")[2]
    flipped = body[:-2] + ("A" if body[-2] != "A" else "B") + body[-1]
    with pytest.raises(SealError, match="altered"):
        ring.open(f"s1.new.{flipped}")
    with pytest.raises(SealError, match="altered"):
        ring.open(f"s1.old.{body}")  # the key id is bound to the ciphertext
    with pytest.raises(SealError, match="not a sealed value"):
        ring.open("plain text someone wrote into the column")


@pytest.mark.parametrize(
    "setting",
    ["", "  ,  ", "nokey", "k1:short", "bad id:" + "x" * 40, f"{NEW},{NEW}", "k1:" + "x" * 40 + ",k2"],
)
def test_a_malformed_setting_is_refused_with_what_is_wrong(setting: str) -> None:
    with pytest.raises(ValueError, match="CASE_DATA_KEYS"):
        KeyRing.parse(setting)
