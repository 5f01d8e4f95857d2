"""The API's operations described where they are defined, for the OpenAPI document.

Each API view is decorated with `operation(...)`, which hangs an `Operation` on it: a summary in both languages, its
parameters and its responses. `datasets.api.openapi` walks the URL map and joins each
rule with what its view declared, so the document cannot drift from the code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Operation:
    """What one API view does, takes and answers."""

    operation_id: str
    tag: str
    summary_zh: str
    summary_en: str
    description: str = ""
    parameters: tuple[dict[str, Any], ...] = ()
    responses: dict[str, dict[str, Any]] = field(default_factory=dict)
    security: tuple[str, ...] = ()
    request_body: dict[str, Any] | None = None


def operation(
    tag: str,
    summary_zh: str,
    summary_en: str,
    *,
    description: str = "",
    parameters: tuple[dict[str, Any], ...] = (),
    responses: dict[str, dict[str, Any]] | None = None,
    security: tuple[str, ...] = (),
    request_body: dict[str, Any] | None = None,
) -> Callable[[F], F]:
    """Record the view's description under its function name."""

    def register(view: F) -> F:
        view.__api_operation__ = Operation(  # type: ignore[attr-defined]
            operation_id=view.__name__,
            tag=tag,
            summary_zh=summary_zh,
            summary_en=summary_en,
            description=description,
            parameters=parameters,
            responses=responses or {},
            security=security,
            request_body=request_body,
        )
        return view

    return register


def query_param(
    name: str, description: str, schema: dict[str, Any], *, required: bool = False, **extra: Any
) -> dict[str, Any]:
    """An OpenAPI query parameter."""
    return {
        "name": name,
        "in": "query",
        "required": required,
        "description": description,
        "schema": schema,
        **extra,
    }


def json_response(description: str, schema_ref: str, media_type: str = "application/json") -> dict[str, Any]:
    """A response whose body is the named component schema."""
    return {
        "description": description,
        "content": {media_type: {"schema": {"$ref": f"#/components/schemas/{schema_ref}"}}},
    }
