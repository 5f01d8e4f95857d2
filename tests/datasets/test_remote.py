"""Publishing to a site over HTTP with an API key: `datasets.remote.push` and `flask datasets push`."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select
from werkzeug.serving import make_server

from datasets.models import Dataset
from datasets.remote import RemoteError, push
from portal import create_app, migrate
from portal.apikeys.services import issue_key
from portal.auth.models import Staff
from portal.auth.roles import Role
from portal.auth.services import StaffDetails, create_staff
from portal.db import db
from tests.conftest import STAFF_PASSWORD, app_overrides
from tests.datasets.conftest import HEADER, SCHEMA, sample_rows, write_csv
from tests.support.databases import drop_schema, isolated_database_url

# Opens databases or services of its own: runs on each database.
pytestmark = pytest.mark.services


@dataclass(frozen=True)
class RemoteSite:
    """A site served over HTTP on its own database, with a publisher's key and an empty dataset."""

    url: str
    app: Flask
    key: str
    slug: str


@pytest.fixture(scope="module")
def remote_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RemoteSite]:
    tmp = tmp_path_factory.mktemp("remote")
    url, schema = isolated_database_url(tmp, "remote")
    migrate.upgrade(url)
    # Jobs in a thread of the server, as on a site without Redis.
    application = create_app(app_overrides(url, tmp / "instance", REDIS_URL=""))
    with application.app_context():
        staff = create_staff(
            StaffDetails(
                username="robot.publisher",
                display_name="排程發布",
                email=None,
                office_id=None,
                roles=frozenset({Role.PUBLISHER}),
            ),
            STAFF_PASSWORD,
        )
        db.session.add(Dataset(slug="remote-data", title_zh="遠端發布", table_schema=SCHEMA, keywords=[]))
        db.session.commit()
        token = issue_key(db.session.get(Staff, staff.id), "nightly", ["datasets:publish"]).token
        db.session.commit()
    server = make_server("127.0.0.1", 0, application, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield RemoteSite(f"http://127.0.0.1:{server.server_port}", application, token, "remote-data")
    server.shutdown()
    application.extensions["portal.db"].engine.dispose()
    if schema:
        drop_schema(url.split("?")[0], schema)


def test_push_publishes_and_follows_the_job(remote_site: RemoteSite, tmp_path: Path) -> None:
    source = write_csv(tmp_path / "daily.csv", HEADER, sample_rows(40))
    seen: list[str] = []
    job = push(
        remote_site.url,
        remote_site.key,
        remote_site.slug,
        source,
        {"notes_zh": "每日自動發布"},
        lambda state: seen.append(state["state"]),
        poll_seconds=0.2,
    )
    assert job["state"] == "done", job
    assert seen[-1] == "done"
    with remote_site.app.app_context():
        dataset = db.session.scalar(select(Dataset).where(Dataset.slug == remote_site.slug))
        assert dataset is not None
        assert dataset.current_release is not None
        assert dataset.current_release.number == job["release"]
        assert dataset.current_release.row_count == 40
        assert "發布說明：每日自動發布" in dataset.current_release.notes_zh


def test_push_reports_refusals(remote_site: RemoteSite, tmp_path: Path) -> None:
    source = write_csv(tmp_path / "daily.csv", HEADER, sample_rows(3))
    with pytest.raises(RemoteError) as refused:
        push(remote_site.url, remote_site.key + "x", remote_site.slug, source)
    assert refused.value.status == 401
    with pytest.raises(RemoteError) as missing:
        push(remote_site.url, remote_site.key, "no-such-dataset", source)
    assert missing.value.status == 404
    with pytest.raises(RemoteError) as unreachable:
        push("http://127.0.0.1:9", remote_site.key, remote_site.slug, source)
    assert unreachable.value.status == 0
    with pytest.raises(RemoteError):
        push("file:///etc/passwd", remote_site.key, remote_site.slug, source)


def test_the_command_line_pushes_with_the_key_from_the_environment(
    remote_site: RemoteSite, tmp_path: Path
) -> None:
    source = write_csv(tmp_path / "daily.csv", HEADER, sample_rows(12, start=500))
    runner = remote_site.app.test_cli_runner()
    result = runner.invoke(
        args=["datasets", "push", remote_site.url, remote_site.slug, str(source)],
        env={"PORTAL_API_KEY": remote_site.key},
    )
    assert result.exit_code == 0, result.output
    assert f"published {remote_site.slug} release" in result.output
    refused = runner.invoke(
        args=["datasets", "push", remote_site.url, remote_site.slug, str(source)],
        env={"PORTAL_API_KEY": "pk_nope_nope"},
    )
    assert refused.exit_code != 0
    assert "401" in refused.output


def test_the_command_line_prints_why_the_site_refused_the_file(
    remote_site: RemoteSite, tmp_path: Path
) -> None:
    from tests.datasets.sheets import ods_row, text_cell, write_ods

    bomb = write_ods(
        tmp_path / "bomb.ods",
        ods_row(text_cell("code")),
        ods_row('<table:table-cell table:number-columns-repeated="300000000"/>', text_cell("x")),
    )
    result = remote_site.app.test_cli_runner().invoke(
        args=["datasets", "push", remote_site.url, remote_site.slug, str(bomb)],
        env={"PORTAL_API_KEY": remote_site.key},
    )
    assert result.exit_code != 0
    assert "not published (ingest)" in result.output
    assert "超過 1000 欄的上限" in result.output
