"""Under CI=true a missing browser tool fails the browser tests instead of skipping them."""

from __future__ import annotations

import importlib

import pytest

from tests.browser import conftest as browser_conftest


def without_playwright(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.import_module

    def refuse(name: str, *args: object) -> object:
        if name.startswith("playwright"):
            raise ImportError(f"No module named {name!r}")
        return real(name, *args)

    monkeypatch.setattr(browser_conftest.importlib, "import_module", refuse)


def test_missing_playwright_fails_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    without_playwright(monkeypatch)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="Playwright"):
        browser_conftest.playwright_module()


def test_missing_playwright_skips_elsewhere(monkeypatch: pytest.MonkeyPatch) -> None:
    without_playwright(monkeypatch)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="Playwright"):
        browser_conftest.playwright_module()


def test_present_playwright_is_returned() -> None:
    assert hasattr(browser_conftest.playwright_module(), "sync_playwright")
