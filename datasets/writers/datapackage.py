"""`datapackage.json`: the release described as a Frictionless Data Package."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from datasets.schema import to_table_schema


def write_datapackage(
    path: Path,
    *,
    name: str,
    title: str,
    description: str,
    version: int,
    created: str,
    licence: dict[str, str],
    keywords: list[str],
    csv_name: str,
    schema: dict[str, Any],
    other_files: dict[str, dict[str, Any]],
    homepage: str = "",
) -> None:
    """Write the package descriptor next to the release's files."""
    descriptor: dict[str, Any] = {
        "name": name,
        "title": title,
        "description": description,
        "version": str(version),
        "created": created,
        "keywords": keywords,
        "licenses": [licence],
        "resources": [
            {
                "name": name,
                "path": csv_name,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8-sig",
                "dialect": {"delimiter": ",", "header": True},
                "schema": to_table_schema(schema),
            }
        ],
        "x-other-formats": other_files,
    }
    if homepage:
        descriptor["homepage"] = homepage
    path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2), encoding="utf-8")
