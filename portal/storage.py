"""Where files the site publishes are kept: a folder, shared between machines when there are several."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app


def storage_root() -> Path:
    """The storage folder of the current application."""
    return Path(current_app.config["STORAGE_PATH"])


def init_app(app: Flask) -> None:
    """Create the storage folder when it is missing."""
    Path(app.config["STORAGE_PATH"]).mkdir(parents=True, exist_ok=True)
