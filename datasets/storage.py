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


def remove_job_folder(job_id: int, *, keep: Path | None = None) -> None:
    """Delete a job's work folder and everything in it, except `keep` (a file in it) when given."""
    folder = storage_root() / "work" / f"publish-{int(job_id)}"
    if keep is None or not keep.exists():
        shutil.rmtree(folder, ignore_errors=True)
        return
    for path in folder.iterdir():
        if path == keep:
            continue
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def job_folders() -> list[tuple[int, Path]]:
    """Every job work folder with its job's id."""
    work = storage_root() / "work"
    if not work.exists():
        return []
    found = []
    for folder in work.iterdir():
        prefix, _, number = folder.name.partition("-")
        if prefix == "publish" and number.isdigit():
            found.append((int(number), folder))
    return found


def file_digest(path: Path) -> str:
    """SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()
