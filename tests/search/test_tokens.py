"""The tokeniser, the normaliser and queries: what every backend's matches rest on."""

from __future__ import annotations

import pytest

from search.tokens import (
    MAX_QUERY_LENGTH,
    TOKENISER_VERSION,
    VARIANTS,
    QueryTooLongError,
    chunk_terms,
    chunks,
    normalise,
    normalise_with_offsets,
    parse_query,
    tokenise,
    unigrams,
)


def contains_sequence(stream: list[str], sequence: tuple[str, ...]) -> bool:
    """Whether `sequence` occurs in `stream` as consecutive terms (a phrase match)."""
    width = len(sequence)
    return any(tuple(stream[i : i + width]) == sequence for i in range(len(stream) - width + 1))


def finds(text: str, query: str) -> bool:
    """Whether every term of `query` is found in `text`'s terms as the backends find it."""
    stream = tokenise(text)
    for term in parse_query(query).terms:
        if term.single:
            if not any(t.startswith(term.needle) for t in stream):
                return False
        elif not contains_sequence(stream, term.sequence):
            return False
    return True


class TestNormalise:
    def test_full_width_letters_and_digits_become_half_width_lower_case(self) -> None:
        assert normalise("ＡＰＰ繳費１２３") == "app繳費123"

    def test_half_width_katakana_and_compatibility_forms_fold(self) -> None:
        assert normalise("ｶﾀｶﾅ") == "カタカナ"
        assert normalise("①") == "1"
        assert normalise("ﬁ") == "fi"

    def test_casefold_goes_beyond_lower(self) -> None:
        assert normalise("Straße") == "strasse"

    def test_tai_variants_fold_to_the_standard_form(self) -> None:
        assert normalise("台北市") == normalise("臺北市") == "臺北市"
        assert normalise("台灣自來水") == "臺灣自來水"

    def test_the_variant_table_stays_small_and_leaves_distinct_characters_apart(self) -> None:
        assert len(VARIANTS) <= 12
        assert normalise("於") != normalise("于")  # a preposition and a surname
        assert all(len(a) == len(b) == 1 for a, b in VARIANTS.items())

    def test_offsets_point_back_at_the_original_characters(self) -> None:
        original = "ＡＰＰ台北ß"
        normalised, offsets = normalise_with_offsets(original)
        assert normalised == "app臺北ss"
        assert offsets == [0, 1, 2, 3, 4, 5, 5]

    def test_combining_marks_stay_with_their_letter(self) -> None:
        normalised, offsets = normalise_with_offsets("Cafe\u0301 水")
        assert normalised == "café 水"
        assert offsets == [0, 1, 2, 3, 5, 6]


class TestTokenise:
    def test_a_run_of_chinese_gives_its_pairs_and_its_last_character(self) -> None:
        assert tokenise("停水通知") == ["停水", "水通", "通知", "知"]

    def test_a_single_character_is_a_term(self) -> None:
        assert tokenise("水") == ["水"]

    def test_punctuation_separates_runs(self) -> None:
        assert tokenise("停水，通知。") == ["停水", "水", "通知", "知"]

    def test_english_words_and_numbers_stay_whole(self) -> None:
        assert tokenise("Water meter 2026") == ["water", "meter", "2026"]

    def test_mixed_chinese_and_english_are_joined_by_a_pair(self) -> None:
        assert tokenise("APP繳費") == ["app", "app繳", "繳費", "費"]
        assert tokenise("繳費APP") == ["繳費", "費app", "費", "app"]

    def test_numbers_inside_chinese(self) -> None:
        assert tokenise("12月3日") == ["12", "12月", "月3", "月", "3", "3日", "日"]

    def test_full_width_text_gives_the_same_terms(self) -> None:
        assert tokenise("ＡＰＰ繳費") == tokenise("APP繳費")
        assert tokenise("台北") == tokenise("臺北")

    def test_emoji_and_symbols_are_separators(self) -> None:
        assert tokenise("停水😀通知") == ["停水", "水", "通知", "知"]
        assert tokenise("😀🚰!!") == []

    def test_underscore_and_hyphen_split_words(self) -> None:
        assert tokenise("e-mail_box") == ["e", "mail", "box"]

    def test_every_character_starts_a_term(self) -> None:
        text = "臺北市大安區停水，APP繳費說明2026年"
        stream = tokenise(text)
        for character in normalise(text):
            if character.isalnum() and not character.isascii():
                assert any(term.startswith(character) for term in stream), character

    def test_unigrams_add_each_chinese_character_at_its_pair(self) -> None:
        assert unigrams(["停水", "水通", "通知", "知"]) == [
            ["停水", "停"],
            ["水通", "水"],
            ["通知", "通"],
            ["知"],
        ]
        assert unigrams(["app", "app繳", "繳費", "費"]) == [["app"], ["app繳"], ["繳費", "繳"], ["費"]]

    def test_chunks_and_their_terms(self) -> None:
        assert chunks("停水 app") == [["停", "水"], ["app"]]
        assert chunk_terms(["停", "水", "app"]) == ["停水", "水app", "水", "app"]

    def test_the_version_is_a_positive_integer(self) -> None:
        assert isinstance(TOKENISER_VERSION, int)
        assert TOKENISER_VERSION >= 1


class TestQuery:
    def test_one_character_is_a_single_term(self) -> None:
        (term,) = parse_query("水").terms
        assert term.single
        assert term.needle == "水"

    def test_two_characters_are_one_pair(self) -> None:
        (term,) = parse_query("停水").terms
        assert not term.single
        assert term.sequence == ("停水",)

    def test_longer_chunks_are_their_pairs_without_the_last_character(self) -> None:
        (term,) = parse_query("停水通知").terms
        assert term.sequence == ("停水", "水通", "通知")

    def test_spaces_mean_and(self) -> None:
        query = parse_query("停水  水壓\u3000APP")
        assert [term.needle for term in query.terms] == ["停水", "水壓", "app"]

    def test_mixed_query(self) -> None:
        (term,) = parse_query("APP繳費").terms
        assert term.sequence == ("app", "app繳", "繳費")
        assert term.needle == "app繳費"

    def test_full_width_and_variant_queries_equal_their_plain_form(self) -> None:
        assert parse_query("ＡＰＰ繳費").terms == parse_query("app繳費").terms
        assert parse_query("台北").terms == parse_query("臺北").terms

    def test_punctuation_or_emoji_only_gives_an_empty_query(self) -> None:
        for text in ("!!!", "，。、？", "😀🚰", "   ", "", "＊＊＊", "()[]{}"):
            assert parse_query(text).is_empty, text

    def test_repeated_terms_count_once(self) -> None:
        assert len(parse_query("停水 停水 ＳＴＯＰ stop").terms) == 2

    def test_a_query_at_the_limit_is_accepted(self) -> None:
        assert not parse_query("水" * MAX_QUERY_LENGTH).is_empty

    def test_a_query_of_ten_thousand_characters_is_refused(self) -> None:
        with pytest.raises(QueryTooLongError):
            parse_query("水" * 10_000)

    def test_one_character_too_long_is_refused(self) -> None:
        with pytest.raises(QueryTooLongError):
            parse_query("a" * (MAX_QUERY_LENGTH + 1))


# Texts and queries where "the terms find it" must equal "the normalised text contains it".
SUBSTRING_CASES = [
    ("停水通知", "水"),
    ("停水通知", "停水"),
    ("停水通知", "水通"),
    ("停水通知", "通知"),
    ("停水通知", "水通知"),
    ("停水通知", "知"),
    ("停水通知", "停通"),
    ("停水，通知", "水通"),
    ("停水，通知", "停水"),
    ("大安區水壓不足", "水壓"),
    ("大安區水壓不足", "壓不足"),
    ("水", "水壓"),
    ("請用APP繳費", "APP繳費"),
    ("請用APP繳費", "app繳"),
    ("請用APP 繳費", "APP繳費"),
    ("請用ＡＰＰ繳費", "app繳費"),
    ("臺北市", "台北"),
    ("台北市", "臺北市"),
    ("2026年12月停水", "12月停水"),
    ("2026年12月停水", "年12"),
    ("水水水", "水水"),
    ("水水水", "水水水"),
    ("水水", "水水水"),
]


@pytest.mark.parametrize(("text", "query"), SUBSTRING_CASES)
def test_terms_find_exactly_what_the_text_contains(text: str, query: str) -> None:
    expected = normalise(query) in normalise(text).replace(" ", "\0")
    assert finds(text, query) == expected


def test_english_words_match_whole() -> None:
    assert finds("water meter", "meter")
    assert not finds("water meters", "meter")
    assert finds("Water METER", "water meter")
