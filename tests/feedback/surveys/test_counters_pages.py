"""The counter survey's public pages: the kiosk and the phone page, their refusals and limits."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from feedback.surveys.counter_views import KIOSK_COOKIE, REASON_STEP_SECONDS, THANKS_SECONDS
from feedback.surveys.models import Counter
from tests.feedback.cases.staff.conftest import forget_request_state
from tests.feedback.surveys.counter_fixtures import Counters, answers_at, count_at, counters, limits_config
from tests.support.pages import PageClient, check_page, csrf_token_of

__all__ = ["counters", "limits_config"]


def base(counter: Counter, office_code: str = "KL") -> str:
    return f"/surveys/counter/{office_code}/{counter.code}"


def token(pages: PageClient, counter: Counter, office_code: str = "KL") -> str:
    forget_request_state()
    return csrf_token_of(pages.client.get(base(counter, office_code) + "/kiosk").get_data(as_text=True))


def press_face(pages: PageClient, counter: Counter, score: str, office_code: str = "KL") -> Any:
    return pages.client.post(
        base(counter, office_code) + "/kiosk",
        data={"csrf_token": token(pages, counter, office_code), "score": score},
    )


def answer_token(body: str) -> str:
    match = re.search(r'name="answer" value="([^"]+)"', body)
    assert match, "the reason step carries the answer's token"
    return match.group(1)


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_kiosk_shows_five_face_buttons_without_the_site_chrome(
    pages: PageClient, counters: Counters, prefix: str
) -> None:
    page = pages.get(prefix + base(counters.kl) + "/kiosk")
    buttons = page.select("form button[type=submit][name=score]")
    assert [button["value"] for button in buttons] == ["5", "4", "3", "2", "1"]
    assert all(button.get_text(strip=True) for button in buttons), "each face is named in words"
    assert page.find("main") is not None
    assert page.select(".site-header, .site-footer, .breadcrumbs") == []
    assert "測試櫃台T1" in page.get_text() or "Test counter T1" in page.get_text()


def test_a_face_is_recorded_at_once_and_the_reason_step_adds_the_reason(
    pages: PageClient, counters: Counters
) -> None:
    step = press_face(pages, counters.kl, "2")
    assert step.status_code == 200
    assert step.headers["Cache-Control"] == "no-store"
    soup = check_page(step, base(counters.kl) + "/kiosk")
    assert [button["value"] for button in soup.select("button[name=reason]")] == [
        "waiting",
        "attitude",
        "explanation",
        "environment",
        "other",
        "",
    ]
    [stored] = answers_at(counters.kl)
    assert (stored.score, stored.reason, stored.channel) == (2, "", "kiosk")
    done = pages.client.post(
        base(counters.kl) + "/kiosk/reason",
        data={
            "csrf_token": token(pages, counters.kl),
            "answer": answer_token(step.get_data(as_text=True)),
            "reason": "waiting",
        },
    )
    assert done.status_code == 303
    assert done.headers["Location"].endswith(base(counters.kl) + "/kiosk?thanks=zh")
    assert [item.reason for item in answers_at(counters.kl)] == ["waiting"]


def test_skipping_the_reason_keeps_the_answer_without_one(pages: PageClient, counters: Counters) -> None:
    step = press_face(pages, counters.kl, "5")
    done = pages.client.post(
        base(counters.kl) + "/kiosk/reason",
        data={
            "csrf_token": token(pages, counters.kl),
            "answer": answer_token(step.get_data(as_text=True)),
            "reason": "",
        },
    )
    assert done.status_code == 303
    assert [(item.score, item.reason) for item in answers_at(counters.kl)] == [(5, "")]


def send_reason(pages: PageClient, counter: Counter, step: Any, reason: str, prefix: str = "") -> Any:
    csrf = token(pages, counter)
    forget_request_state()  # the language of the POST's own path
    return pages.client.post(
        prefix + base(counter) + "/kiosk/reason",
        data={
            "csrf_token": csrf,
            "answer": answer_token(step.get_data(as_text=True)),
            "reason": reason,
        },
    )


@pytest.mark.parametrize(
    ("prefix", "lang", "thanks"), [("", "zh", "謝謝您的評分！"), ("/en", "en", "Thank you")]
)
def test_after_the_reason_the_visitor_is_back_on_the_chinese_faces_thanked_in_their_language(
    pages: PageClient, counters: Counters, prefix: str, lang: str, thanks: str
) -> None:
    step = press_face(pages, counters.kl, "4")
    done = send_reason(pages, counters.kl, step, "attitude", prefix)
    assert done.status_code == 303
    # Back to the Chinese start, whatever language the last visitor chose.
    location = done.headers["Location"]
    assert location.endswith(base(counters.kl) + f"/kiosk?thanks={lang}")
    assert "/en/" not in location
    forget_request_state()
    page = pages.get(location)
    assert page.find("html")["lang"] == "zh-Hant-TW"
    banner = page.select_one(".kiosk-thanks[role=status]")
    assert banner is not None
    assert thanks in banner.get_text()
    assert banner["lang"] == ("en" if lang == "en" else "zh-Hant-TW")
    assert banner["data-kiosk-dismiss"] == str(THANKS_SECONDS)
    assert len(page.select("button[name=score]")) == 5, "the next visitor's faces"
    forget_request_state()
    assert pages.get(base(counters.kl) + "/kiosk").select_one(".kiosk-thanks") is None


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_former_thank_you_page_sends_to_the_faces_with_the_banner(
    pages: PageClient, counters: Counters, prefix: str
) -> None:
    response = pages.get_response(prefix + base(counters.kl) + "/kiosk/thanks")
    assert response.status_code == 303
    location = response.headers["Location"]
    assert location.endswith(base(counters.kl) + "/kiosk?thanks=" + ("en" if prefix else "zh"))
    assert "/en/" not in location


def test_no_kiosk_page_refreshes_by_itself(
    pages: PageClient, counters: Counters, limits_config: Callable[..., None]
) -> None:
    """A delayed `<meta http-equiv="refresh">` cuts slow visitors off (WCAG 2.2.1): none anywhere."""
    limits_config(address_limit="1 per minute")
    shown = [
        pages.client.get(base(counters.kl) + "/kiosk"),
        pages.client.get(base(counters.kl) + "/kiosk?thanks=zh"),
    ]
    step = press_face(pages, counters.kl, "3")
    shown.append(step)
    shown.append(press_face(pages, counters.kl, "3"))  # the same device at once: the cool-down's page
    shown.append(press_face(pages, counters.kl, "9"))  # a forged face
    shown.append(pages.client.get("/surveys/counter/ZZ/T1/kiosk"))
    assert [response.status_code for response in shown] == [200, 200, 200, 429, 400, 404]
    for response in shown:
        body = response.get_data(as_text=True).lower()
        assert "http-equiv" not in body
        assert "refresh" not in response.headers
    # With the script, a kiosk left on a refusal returns to the start like the reason step.
    for refused in shown[3:5]:
        main = check_page(refused, base(counters.kl) + "/kiosk").select_one("main[data-kiosk-return]")
        assert main is not None
        assert main["data-kiosk-pause"] == str(REASON_STEP_SECONDS)


def test_the_reason_step_tells_its_script_when_to_return_to_the_start(
    pages: PageClient, counters: Counters
) -> None:
    step = press_face(pages, counters.kl, "1")
    soup = check_page(step, base(counters.kl) + "/kiosk")
    main = soup.select_one("main[data-kiosk-return]")
    assert main is not None
    assert main["data-kiosk-pause"] == str(REASON_STEP_SECONDS)
    assert main["data-kiosk-return"].endswith(base(counters.kl) + "/kiosk")
    assert "/en/" not in main["data-kiosk-return"]
    note = soup.select_one("#kiosk-return-note")
    assert note is not None
    assert note.has_attr("hidden"), "only the script, which does return, shows the note"
    assert f"{REASON_STEP_SECONDS} 秒" in note.get_text()
    script = soup.select_one("script[src$='/js/kiosk.js']")
    assert script is not None
    assert script.has_attr("defer")
    assert soup.select("script:not([src])") == [], "no inline script (the content security policy)"
    # Without the script nothing returns: the faces page stays as it is, with no pause to tell.
    forget_request_state()
    assert pages.get(base(counters.kl) + "/kiosk").select_one("main[data-kiosk-return]") is None


def test_the_phone_page_takes_a_face_and_a_reason_in_one_form(pages: PageClient, counters: Counters) -> None:
    page = pages.get(base(counters.kl))
    assert page.select_one(".site-header") is not None, "the phone page has the site's layout"
    assert {item["value"] for item in page.select("input[name=score]")} == {"1", "2", "3", "4", "5"}
    response = pages.post_form(base(counters.kl), {"score": "4", "reason": "explanation"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(base(counters.kl) + "/thanks")
    [stored] = answers_at(counters.kl)
    assert (stored.score, stored.reason, stored.channel) == (4, "explanation", "qr")
    pages.get(base(counters.kl) + "/thanks")
    forget_request_state()
    pages.get("/en" + base(counters.kl) + "/thanks")


def test_the_phone_answer_needs_no_reason(pages: PageClient, counters: Counters) -> None:
    assert pages.post_form(base(counters.kl), {"score": "3"}).status_code == 303
    assert [(item.score, item.reason) for item in answers_at(counters.kl)] == [(3, "")]


@pytest.mark.parametrize(
    "path",
    [
        "/surveys/counter/ZZ/T1",
        "/surveys/counter/KL/NOPE",
        "/surveys/counter/KL/T9",  # not in use
        "/surveys/counter/XS/T1",  # the counter is XZ's
        "/surveys/counter/ZZ/T1/kiosk",
        "/surveys/counter/KL/T9/kiosk",
        "/surveys/counter/KL/T9/kiosk/thanks",
        "/surveys/counter/KL/T9/thanks",
        "/en/surveys/counter/KL/NOPE/kiosk",
    ],
)
def test_unknown_or_inactive_counters_get_a_404_page_saying_so(
    pages: PageClient, counters: Counters, path: str
) -> None:
    page = pages.get(path, status=404)
    if not path.startswith("/en/"):
        assert page.find("h1").get_text(strip=True) == "找不到這個櫃台"
        assert "不存在，或已不再使用" in page.get_text()


def test_answers_to_an_inactive_counter_are_refused(pages: PageClient, counters: Counters) -> None:
    response = pages.client.post(
        base(counters.closed) + "/kiosk", data={"csrf_token": token(pages, counters.kl), "score": "5"}
    )
    assert response.status_code == 404
    assert count_at(counters.closed) == 0


@pytest.mark.parametrize("score", ["", "0", "6", "five", "4.5", "5 "])
def test_a_bad_kiosk_face_is_a_400_and_nothing_is_stored(
    pages: PageClient, counters: Counters, score: str
) -> None:
    response = press_face(pages, counters.kl, score)
    assert response.status_code == 400
    soup = check_page(response, base(counters.kl) + "/kiosk")
    assert "沒有記錄" in soup.get_text()
    assert count_at(counters.kl) == 0


def test_a_missing_face_is_a_400(pages: PageClient, counters: Counters) -> None:
    response = pages.client.post(base(counters.kl) + "/kiosk", data={"csrf_token": token(pages, counters.kl)})
    assert response.status_code == 400
    assert count_at(counters.kl) == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"score": "9"}, "請選擇一個表情"),
        ({"reason": "waiting"}, "請選擇一個表情"),
        ({"score": "5", "reason": "我等了很久"}, "請從清單中選擇原因"),
    ],
)
def test_a_bad_phone_answer_is_a_400_with_its_message_and_nothing_stored(
    pages: PageClient, counters: Counters, data: dict[str, str], message: str
) -> None:
    page = pages.post_form_page(base(counters.kl), data, 400)
    assert message in page.select_one(".error-summary").get_text()
    assert count_at(counters.kl) == 0


def test_a_form_without_its_token_is_refused(pages: PageClient, counters: Counters) -> None:
    assert pages.client.post(base(counters.kl) + "/kiosk", data={"score": "5"}).status_code == 400
    assert pages.client.post(base(counters.kl), data={"score": "5"}).status_code == 400
    assert count_at(counters.kl) == 0


@pytest.mark.parametrize(
    ("answer", "reason"),
    [("forged", "waiting"), ("", "waiting"), (None, "my own words")],
)
def test_a_bad_reason_step_is_a_400_and_no_reason_is_stored(
    pages: PageClient, counters: Counters, answer: str | None, reason: str
) -> None:
    step = press_face(pages, counters.kl, "1")
    signed = answer_token(step.get_data(as_text=True)) if answer is None else answer
    response = pages.client.post(
        base(counters.kl) + "/kiosk/reason",
        data={"csrf_token": token(pages, counters.kl), "answer": signed, "reason": reason},
    )
    assert response.status_code == 400
    check_page(response, base(counters.kl) + "/kiosk/reason")
    assert [item.reason for item in answers_at(counters.kl)] == [""]


def test_a_reason_step_of_another_counter_is_refused(pages: PageClient, counters: Counters) -> None:
    step = press_face(pages, counters.kl, "1")
    response = pages.client.post(
        base(counters.kl_other) + "/kiosk/reason",
        data={
            "csrf_token": token(pages, counters.kl),
            "answer": answer_token(step.get_data(as_text=True)),
            "reason": "waiting",
        },
    )
    assert response.status_code == 400
    assert [item.reason for item in answers_at(counters.kl)] == [""]


def test_a_device_that_just_answered_gets_a_429_and_nothing_is_stored(
    pages: PageClient, counters: Counters, limits_config: Callable[..., None]
) -> None:
    limits_config(address_limit="1 per minute")
    assert pages.post_form(base(counters.kl), {"score": "5"}).status_code == 303
    again = pages.post_form(base(counters.kl), {"score": "1"})
    assert again.status_code == 429
    assert 1 <= int(again.headers["Retry-After"]) <= 60
    soup = check_page(again, base(counters.kl))
    assert "剛剛已經送出評分" in soup.get_text()
    assert [item.score for item in answers_at(counters.kl)] == [5]
    # The kiosk from the same address is the same device until staff set it up.
    assert press_face(pages, counters.kl_other, "4").status_code == 429


def test_a_counter_over_its_limit_gets_a_429(
    pages: PageClient, counters: Counters, limits_config: Callable[..., None]
) -> None:
    limits_config(counter_limits="2 per minute;100 per hour")
    assert [press_face(pages, counters.kl, "5").status_code for _ in range(3)] == [200, 200, 429]
    assert count_at(counters.kl) == 2
    assert press_face(pages, counters.kl_other, "5").status_code == 200


def test_a_set_up_kiosk_cools_down_on_its_own(
    app: Flask,
    pages: PageClient,
    counters: Counters,
    limits_config: Callable[..., None],
    client_as: Callable[..., Any],
) -> None:
    from portal.auth.roles import Role

    limits_config(address_limit="1 per minute", kiosk_limit="1 per minute")
    manager, _account = client_as(Role.PUBLISHER)
    setup = manager.client.post(
        "/staff/surveys/counters/KL/T1/kiosk-setup", data={"csrf_token": token(manager, counters.kl)}
    )
    assert setup.status_code == 303
    cookie = manager.client.get_cookie(KIOSK_COOKIE)
    assert cookie is not None
    # A phone at the same address answers first; the kiosk is another device.
    forget_request_state()
    assert pages.post_form(base(counters.kl), {"score": "3"}).status_code == 303
    assert press_face(manager, counters.kl, "5").status_code == 200
    assert press_face(manager, counters.kl, "5").status_code == 429
    # A forged cookie is no kiosk: back to the address, which has answered.
    pages.client.set_cookie(KIOSK_COOKIE, cookie.value[:-2] + "xx")
    assert press_face(pages, counters.kl, "5").status_code == 429
    assert count_at(counters.kl) == 2


def test_a_burst_through_the_kiosk_is_flagged(
    pages: PageClient, counters: Counters, limits_config: Callable[..., None]
) -> None:
    limits_config(burst="2 per 5 minutes")
    for _press in range(3):
        assert press_face(pages, counters.kl, "1").status_code == 200
    assert [item.flagged for item in answers_at(counters.kl)] == [True, True, True]


def test_a_reason_sent_too_late_goes_back_to_the_faces_and_the_face_stays(
    pages: PageClient, counters: Counters, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    from itsdangerous.timed import TimestampSigner

    from feedback.surveys.counters import REASON_SECONDS

    long_ago = int(time.time()) - REASON_SECONDS - 30
    with monkeypatch.context() as patched:
        patched.setattr(TimestampSigner, "get_timestamp", lambda _signer: long_ago)
        step = press_face(pages, counters.kl, "3")
    late = send_reason(pages, counters.kl, step, "waiting")
    assert late.status_code == 303
    assert late.headers["Location"].endswith(base(counters.kl) + "/kiosk?thanks=zh")
    assert [(item.score, item.reason) for item in answers_at(counters.kl)] == [(3, "")]
