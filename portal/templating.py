"""What every template can use: dates in Taipei time, the signed-in staff member, the navigation."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask, g, request, url_for

from portal.web.registry import Link, registry

TAIPEI = ZoneInfo("Asia/Taipei")


def format_date(value: datetime | date | None) -> str:
    """`2026-11-26` in Taipei time; empty for None."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(TAIPEI).date()
    return value.isoformat()


def format_datetime(value: datetime | None) -> str:
    """`2026-11-26 14:05` in Taipei time; empty for None."""
    if value is None:
        return ""
    return value.astimezone(TAIPEI).strftime("%Y-%m-%d %H:%M")


def tel_href(phone: str) -> str:
    """A `tel:` URL for a phone number as people write it: `(02) 2425-2103#101` → `tel:0224252103;ext=101`."""
    number, _, extension = phone.partition("#")
    digits = re.sub(r"[^0-9+]", "", number)
    extension = re.sub(r"[^0-9]", "", extension)
    return f"tel:{digits};ext={extension}" if extension else f"tel:{digits}"


def link_url(link: Link) -> str:
    """The URL of a registry link."""
    return url_for(link.endpoint, **dict(link.values))


def link_is_current(link: Link) -> bool:
    """Whether `link` points at the page being shown."""
    return request.endpoint == link.endpoint


def page_url(page: int) -> str:
    """The current list's URL with another page number, other query parameters kept."""
    args = request.args.to_dict()
    args["page"] = str(page)
    return url_for(request.endpoint or "web.home", **{**(request.view_args or {}), **args})


def form_errors(form: Any) -> list[tuple[Any, str]]:
    """Every `(field, message)` of a form, fields of nested forms and lists included, in order."""
    found: list[tuple[Any, str]] = []
    for field in form:
        if field.type == "CSRFTokenField":
            continue
        if field.type == "FieldList":
            for entry in field:
                found.extend(
                    form_errors(entry.form)
                    if entry.type == "FormField"
                    else [(entry, m) for m in entry.errors]
                )
        elif field.type == "FormField":
            found.extend(form_errors(field.form))
        else:
            found.extend((field, message) for message in field.errors)
    return found


def _context() -> dict[str, Any]:
    return {"staff": g.get("staff")}


def init_app(app: Flask) -> None:
    """Register the filters, globals and context of every template."""
    app.jinja_env.filters.update(date=format_date, datetime=format_datetime, tel=tel_href)
    app.jinja_env.globals.update(
        main_navigation=lambda: registry().navigation,
        link_url=link_url,
        link_is_current=link_is_current,
        page_url=page_url,
        form_errors=form_errors,
    )
    app.context_processor(_context)
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
