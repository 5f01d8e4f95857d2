"""Forms found on a page, filled the way a browser or a program would send them.

`submissions(form)` gives the two ways a form can arrive with its optional fields empty:
as a browser sends it when they are left blank (text cleared, a select's empty choice,
boxes unticked), and as a program may send it, leaving out every field it has no value
for. Fields the page marks `required`, and selects without an empty choice, keep the
value the page shows.
"""

from __future__ import annotations

from dataclasses import dataclass

from bs4 import BeautifulSoup, Tag

NOT_SENT = {"submit", "button", "reset", "image", "file"}


@dataclass(frozen=True)
class FoundForm:
    """A form on a page: where and how it is sent, and its controls."""

    action: str
    method: str
    controls: list[Tag]


def forms_on(html: str, page_path: str) -> list[FoundForm]:
    """Every form of the page's main content (the layout's language and sign-out forms left out)."""
    page = BeautifulSoup(html, "html.parser")
    main = page.find("main") or page
    found = []
    for form in main.find_all("form"):
        action = form.get("action") or page_path
        found.append(
            FoundForm(
                action, (form.get("method") or "get").upper(), form.find_all(["input", "select", "textarea"])
            )
        )
    return found


def _shown_value(control: Tag) -> str | None:
    """What a browser sends for `control` untouched (None: nothing)."""
    if control.name == "textarea":
        return control.get_text().removeprefix("\n")
    if control.name == "select":
        options = control.find_all("option")
        chosen = [option for option in options if option.has_attr("selected")] or options[:1]
        return (chosen[0].get("value", chosen[0].get_text())) if chosen else None
    kind = (control.get("type") or "text").lower()
    if kind in NOT_SENT:
        return None
    if kind in {"checkbox", "radio"}:
        return control.get("value", "on") if control.has_attr("checked") else None
    return control.get("value", "")


def _emptied(control: Tag) -> str | None:
    """What a browser sends for an optional `control` its user left empty."""
    if control.name == "select":
        values = [option.get("value", option.get_text()) for option in control.find_all("option")]
        return "" if "" in values else _shown_value(control)
    kind = (control.get("type") or "text").lower()
    if kind in {"checkbox", "radio"}:
        return None
    if kind == "hidden":
        return _shown_value(control)
    return ""


def _optional(control: Tag) -> bool:
    kind = (control.get("type") or "text").lower()
    return not control.has_attr("required") and kind != "hidden"


def submissions(form: FoundForm, untick: bool = True) -> dict[str, list[tuple[str, str]]]:
    """The form with its optional fields left blank ("blank") and left out ("left out").

    With `untick` false, ticked boxes stay ticked (on a shared database, so that a walk does
    not unpublish what other tests read).
    """
    blank: list[tuple[str, str]] = []
    for control in form.controls:
        name = control.get("name")
        if not name or control.has_attr("disabled"):
            continue
        keep = not _optional(control) or (not untick and control.get("type") in {"checkbox", "radio"})
        value = _shown_value(control) if keep else _emptied(control)
        if value is not None:
            blank.append((name, value))
    return {"blank": blank, "left out": [(name, value) for name, value in blank if value != ""]}
