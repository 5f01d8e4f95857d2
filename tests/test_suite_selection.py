"""The PostgreSQL pass of CI leaves out exactly the tests that cannot depend on the database."""

from __future__ import annotations

import os
import subprocess
import sys

from portal.config import PROJECT_ROOT


def collected(*paths: str, database_only: bool) -> set[str]:
    env = {**os.environ, "SUITE_DATABASE_ONLY": "1" if database_only else "0"}
    output = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *paths],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {line for line in output.splitlines() if "::" in line}


def test_database_independent_tests_are_left_out_only_when_asked() -> None:
    paths = (
        "tests/datasets/test_pii_numbers.py",
        "tests/browser/test_keyboard.py",
        "tests/datasets/test_views.py",
        "tests/portal/test_migrations.py",
        "tests/server/test_errors.py",
    )
    everything = collected(*paths, database_only=False)
    database_only = collected(*paths, database_only=True)
    assert database_only < everything
    modules = {test.split("::")[0] for test in database_only}
    # Uses the database through fixtures, opens databases itself (marked `services`), starts the server:
    assert modules == {
        "tests/datasets/test_views.py",
        "tests/portal/test_migrations.py",
        "tests/server/test_errors.py",
    }
    left_out = {test.split("::")[0] for test in everything - database_only}
    assert left_out == {"tests/datasets/test_pii_numbers.py", "tests/browser/test_keyboard.py"}
