"""Background jobs: a thread in the web process by default, RQ workers when `REDIS_URL` is set.

A job is a module-level function named by its dotted path, run inside an application
context with plain arguments (ids, not objects), so that it can run in another process:

    enqueue("datasets.publishing.run_job", job.id)

With Redis, `flask --app portal jobs worker` runs the jobs; without it they run in a
daemon thread of the process that asked, which suits one machine and the tests.
"""

from __future__ import annotations

import importlib
import logging
import threading
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

logger = logging.getLogger(__name__)

JOB_TIMEOUT_SECONDS = 6 * 3600
_THREADS_KEY = "portal.jobs.threads"


def _resolve(dotted: str) -> Any:
    module_name, _, attribute = dotted.rpartition(".")
    return getattr(importlib.import_module(module_name), attribute)


def run_job(dotted: str, *args: Any) -> None:
    """Run the job `dotted(*args)` in the current application context (RQ calls this)."""
    from portal.db import db

    session = db.use_writer_session()
    try:
        _resolve(dotted)(*args)
    finally:
        session.close()


def _thread_main(app: Flask, dotted: str, args: tuple[Any, ...]) -> None:
    with app.app_context():
        try:
            run_job(dotted, *args)
        except Exception:
            logger.exception("background job %s%r failed", dotted, args)


def _queue(app: Flask) -> Any:
    from redis import Redis
    from rq import Queue

    return Queue(app.config["JOBS_QUEUE"], connection=Redis.from_url(app.config["REDIS_URL"]))


def enqueue(dotted: str, *args: Any) -> None:
    """Run `dotted(*args)` in the background."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    _resolve(dotted)  # fail now, in the request, when the name is wrong
    if app.config.get("REDIS_URL"):
        _queue(app).enqueue(run_job, dotted, *args, job_timeout=JOB_TIMEOUT_SECONDS)
        return
    thread = threading.Thread(
        target=_thread_main, args=(app, dotted, args), daemon=True, name=f"job:{dotted}"
    )
    app.extensions.setdefault(_THREADS_KEY, []).append(thread)
    thread.start()


def work(app: Flask, *, burst: bool = False) -> None:
    """Run queued jobs in this process (`burst`: until the queue is empty)."""
    if app.config.get("REDIS_URL"):
        from rq import SimpleWorker

        queue = _queue(app)
        with app.app_context():
            SimpleWorker([queue], connection=queue.connection).work(burst=burst, with_scheduler=False)
        return
    for thread in app.extensions.get(_THREADS_KEY, []):
        thread.join()
    app.extensions[_THREADS_KEY] = []


jobs_cli = AppGroup("jobs", help="Background jobs.")


@jobs_cli.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
@with_appcontext
def worker_command(burst: bool) -> None:
    """Run jobs from the Redis queue (needs REDIS_URL)."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    if not app.config.get("REDIS_URL"):
        raise click.ClickException("REDIS_URL is not set: jobs run in the web process's threads")
    work(app, burst=burst)


def init_app(app: Flask) -> None:
    """Register the `jobs` commands."""
    app.cli.add_command(jobs_cli)
