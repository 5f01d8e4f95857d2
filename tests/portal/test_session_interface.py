"""The signed-cookie session keeps its serializer while the keys stay, and follows them when they change."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask

from portal import KeptSerializerSessionInterface


def test_the_serializer_is_built_once_per_set_of_keys(make_app: Callable[..., Flask]) -> None:
    application = make_app()
    interface = application.session_interface
    assert isinstance(interface, KeptSerializerSessionInterface)
    first = interface.get_signing_serializer(application)
    assert interface.get_signing_serializer(application) is first
    signed = first.dumps({"staff_token": "abc"})
    application.config["SECRET_KEY_FALLBACKS"] = [application.secret_key]
    application.secret_key = "another-key-for-this-test-only"
    changed = interface.get_signing_serializer(application)
    assert changed is not first
    # The old key is now a fallback: what it signed still reads, and new cookies use the new key.
    assert changed.loads(signed) == {"staff_token": "abc"}
    assert changed.dumps({"a": 1}) != first.dumps({"a": 1})


def test_a_session_cookie_still_round_trips(make_app: Callable[..., Flask]) -> None:
    application = make_app()

    @application.route("/test-session-set")
    def set_value() -> str:
        from flask import session

        session["seen"] = "yes"
        return "set"

    @application.route("/test-session-get")
    def get_value() -> str:
        from flask import session

        return str(session.get("seen"))

    client = application.test_client()
    client.get("/test-session-set")
    assert client.get("/test-session-get").get_data(as_text=True) == "yes"
