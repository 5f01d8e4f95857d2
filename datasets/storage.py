"""Where a dataset's files live: work folders of publish jobs and the folders of releases."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from portal.storage import storage_root


def job_folder(job_id: int, *, fresh: bool = False) -> Path:
    """The work folder of a publish job (created; emptied first when `fresh`)."""
    folder = storage_root() / "work" / f"publish-{int(job_id)}"
    if fresh:
        shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def release_key(slug: str, number: int, job_id: int) -> str:
    """The storage key of a release's folder, relative to the storage root."""
    return f"datasets/{slug}/releases/{number}-{job_id}"


def release_folder(key: str) -> Path:
    """The folder of a release, from its storage key."""
    return storage_root() / key


def remove_job_folder(job_id: int) -> None:
    """Delete a job's work folder and everything in it."""
    shutil.rmtree(storage_root() / "work" / f"publish-{int(job_id)}", ignore_errors=True)


def file_digest(path: Path) -> str:
    """SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()
