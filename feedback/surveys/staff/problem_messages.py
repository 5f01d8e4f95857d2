"""What the builder says about a definition's problems (`checks.ProblemCode`) and refused actions."""

from __future__ import annotations

from feedback.surveys.checks import Problem, ProblemCode
from portal.i18n import _, _l

_PROBLEMS = {
    ProblemCode.KEY_EMPTY: _l("代碼不可空白。"),
    ProblemCode.KEY_TOO_LONG: _l("代碼最多 %(max)s 個字元。"),
    ProblemCode.KEY_RESERVED: _l("這個代碼保留給「其他」選項。"),
    ProblemCode.KEY_INVALID: _l("代碼只能用小寫英文字母開頭，後面接小寫英文字母、數字或底線。"),
    ProblemCode.DUPLICATE_SECTION_KEY: _l("另一個段落已經使用這個代碼。"),
    ProblemCode.DUPLICATE_QUESTION_KEY: _l("另一個題目已經使用這個代碼。"),
    ProblemCode.DUPLICATE_OPTION_KEY: _l("同一題的另一個選項已經使用這個代碼。"),
    ProblemCode.TITLE_MISSING: _l("請填寫段落的中文標題。"),
    ProblemCode.LABEL_MISSING: _l("請填寫中文題目或選項文字。"),
    ProblemCode.TEXT_TOO_LONG: _l("文字太長，最多 %(max)s 個字。"),
    ProblemCode.NO_QUESTIONS: _l("問卷至少要有一個題目。"),
    ProblemCode.TOO_MANY_QUESTIONS: _l("問卷最多 %(max)s 題。"),
    ProblemCode.EMPTY_SECTION: _l("段落至少要有一個題目；不需要的段落請刪除。"),
    ProblemCode.TOO_FEW_OPTIONS: _l("選擇題至少要有 %(min)s 個選項，每行一個。"),
    ProblemCode.TOO_MANY_OPTIONS: _l("一題最多 %(max)s 個選項。"),
    ProblemCode.OPTIONS_NOT_ALLOWED: _l("只有單選題與複選題可以有選項。"),
    ProblemCode.OTHER_NOT_ALLOWED: _l("只有單選題與複選題可以有「其他」選項。"),
    ProblemCode.BOUNDS_NOT_ALLOWED: _l("只有數字題與日期題可以設定最小值與最大值。"),
    ProblemCode.BOUND_NOT_A_NUMBER: _l("請填寫數字，例如 0 或 12.5。"),
    ProblemCode.BOUND_NOT_A_DATE: _l("請以 2026-12-31 的格式填寫日期。"),
    ProblemCode.BOUNDS_REVERSED: _l("最小值不可大於最大值。"),
    ProblemCode.CONDITION_UNKNOWN_QUESTION: _l("顯示條件所依據的題目不存在。"),
    ProblemCode.CONDITION_ON_ITSELF: _l("題目不能依據自己的答案顯示。"),
    ProblemCode.CONDITION_NOT_EARLIER: _l("顯示條件只能依據前面的題目。"),
    ProblemCode.CONDITION_VALUES_NOT_ALLOWED: _l("「已回答」條件不需要填寫答案。"),
    ProblemCode.CONDITION_ONE_VALUE: _l("「等於」條件只能填一個答案。"),
    ProblemCode.CONDITION_NO_VALUES: _l("「是其中之一」條件至少要填一個答案。"),
    ProblemCode.CONDITION_VALUE_UNKNOWN: _l("「%(value)s」不是那一題的選項。"),
    ProblemCode.CONDITION_OPERATOR_NOT_ALLOWED: _l("數字、日期與文字題只能用「已回答」條件。"),
}

FIELD_OF_PROBLEM = {  # the builder form's field a problem is shown beside
    "key": "label_zh",
    "label": "label_zh",
    "title": "section_title_zh",
    "help": "help_zh",
    "description": "section_title_zh",
    "options": "options",
    "allow_other": "allow_other",
    "minimum": "minimum",
    "maximum": "maximum",
    "condition": "condition_question",
}

_ACTIONS = {
    "slug_invalid": _l("網址代稱只能用小寫英文字母、數字與連字號，並以字母或數字開頭。"),
    "slug_taken": _l("已經有問卷使用這個網址代稱。"),
    "title_missing": _l("請填寫中文標題。"),
    "dates_reversed": _l("結束時間必須晚於開始時間。"),
    "invitation_count": _l("邀請數量必須介於 1 到 10000。"),
    "definition_unsound": _l("問卷內容還有問題，請先修正。"),
}


def problem_message(problem: Problem) -> str:
    """The words for one problem, in the visitor's language."""
    template = _PROBLEMS.get(problem.code)
    if template is None:
        return _("問卷內容有問題。")
    return str(template) % {"max": "", "min": "", "value": "", **dict(problem.params)}


def action_message(code: str) -> str:
    """The words for a refused staff action."""
    return str(_ACTIONS.get(code, _l("無法完成這個動作。")))
