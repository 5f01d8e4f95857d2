"""Snippets: matches found on the normalised text, highlighted in the original, escaped."""

from __future__ import annotations

from markupsafe import Markup

from search.snippets import SNIPPET_LENGTH, highlight, match_spans, original_spans, snippet
from search.tokens import parse_query


def test_a_variant_query_highlights_the_original_form() -> None:
    assert highlight("臺北市停水", parse_query("台北")) == Markup("<mark>臺北</mark>市停水")


def test_a_half_width_query_highlights_full_width_text() -> None:
    assert highlight("用ＡＰＰ繳費", parse_query("app繳費")) == Markup("用<mark>ＡＰＰ繳費</mark>")


def test_offsets_survive_characters_that_grow_when_normalised() -> None:
    text = "Straße 水"
    assert original_spans(text, ["strasse"]) == [(0, 6)]
    assert original_spans(text, ["水"]) == [(7, 8)]


def test_combining_marks_are_kept_inside_the_mark() -> None:
    text = "Cafe\u0301 停水"
    assert original_spans(text, ["café"]) == [(0, 5)]


def test_html_in_the_text_is_escaped_and_marks_are_ours() -> None:
    marked = highlight("<script>停水</script>", parse_query("停水"))
    assert marked == Markup("&lt;script&gt;<mark>停水</mark>&lt;/script&gt;")


def test_a_query_with_markup_cannot_inject_it() -> None:
    marked = highlight("a <b> 停水", parse_query("<b>"))
    assert "<b>" not in str(marked)
    assert "<mark>b</mark>" in str(marked)


def test_overlapping_and_neighbouring_matches_merge() -> None:
    assert match_spans("停水通知停水", ["停水", "水通"]) == [(0, 3), (4, 6)]


def test_english_matches_are_whole_words() -> None:
    assert match_spans("meter meters", ["meter"]) == [(0, 5)]
    assert match_spans("app繳費", ["app"]) == [(0, 3)]


def test_every_term_is_marked() -> None:
    assert (
        str(highlight("水壓不足，停水", parse_query("停水 水壓")))
        == "<mark>水壓</mark>不足，<mark>停水</mark>"
    )


def test_a_single_character_marks_every_occurrence() -> None:
    assert str(highlight("水水a水", parse_query("水"))) == "<mark>水水</mark>a<mark>水</mark>"


def test_the_snippet_shows_the_text_around_the_first_match() -> None:
    body = "前言" * 100 + "本區停水至下午五時" + "後記" * 100
    shown = str(snippet(body, parse_query("停水")))
    assert "<mark>停水</mark>" in shown
    assert shown.startswith("…")
    assert shown.endswith("…")
    plain = shown.replace("<mark>", "").replace("</mark>", "").strip("…")
    assert len(plain) == SNIPPET_LENGTH


def test_a_short_body_is_shown_whole_without_ellipsis() -> None:
    assert str(snippet("明日停水", parse_query("停水"))) == "明日<mark>停水</mark>"


def test_without_a_match_the_beginning_is_shown() -> None:
    shown = str(snippet("甲" * 500, parse_query("停水")))
    assert shown == "甲" * SNIPPET_LENGTH + "…"


def test_line_breaks_are_flattened() -> None:
    assert str(snippet("第一行\n\n停水\t通知", parse_query("停水"))) == "第一行 <mark>停水</mark> 通知"


def test_an_empty_query_marks_nothing() -> None:
    assert str(highlight("停水", parse_query("!!!"))) == "停水"
