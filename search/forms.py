"""The search form: the fields the page draws; `search.asking` reads and checks what is sent."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField

from portal.i18n import _l
from search.tokens import MAX_QUERY_LENGTH


class SearchForm(FlaskForm):
    """The words, and the filters of the advanced search (a GET form: no CSRF token)."""

    class Meta:
        csrf = False

    q = StringField(
        render_kw={"maxlength": MAX_QUERY_LENGTH, "autocomplete": "off"},
        label=_l("搜尋字詞"),
        description=_l("例如：停水、水壓、APP 繳費。字詞之間空一格，會找同時含有這些字詞的資料。"),
    )
    type = SelectField(_l("資料類型"), validate_choice=False)
    office = SelectField(_l("單位"), validate_choice=False)
    date_from = StringField(_l("日期從"), render_kw={"type": "date"})
    date_to = StringField(_l("日期到"), render_kw={"type": "date"})
    theme = StringField(_l("主題分類代碼"), render_kw={"inputmode": "latin", "autocomplete": "off"})
    administration = StringField(_l("施政分類代碼"), render_kw={"inputmode": "latin", "autocomplete": "off"})
    service = StringField(_l("服務分類代碼"), render_kw={"inputmode": "latin", "autocomplete": "off"})


def search_form(
    args: Any, kinds: list[tuple[str, Any]], offices: list[tuple[str, Any]], errors: dict[str, Any]
) -> tuple[SearchForm, list[Any]]:
    """The form filled with what was asked, each unusable parameter's message on its field.

    Returns the form and the messages about parameters it has no field for (the page).
    """
    form = SearchForm(
        formdata=None,
        q=args.get("q", "")[:200],
        type=args.get("type", ""),
        office=args.get("office", ""),
        date_from=args.get("date_from", ""),
        date_to=args.get("date_to", ""),
        theme=args.get("theme", ""),
        administration=args.get("administration", ""),
        service=args.get("service", ""),
    )
    form.type.choices = [("", _l("全部")), *kinds]
    form.office.choices = [("", _l("全部")), *offices]
    others = []
    for parameter, message in errors.items():
        if parameter in form:
            form[parameter].errors = [message]
        else:
            others.append(message)
    return form, others
