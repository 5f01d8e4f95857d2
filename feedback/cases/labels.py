"""The case domain's words in both languages: states, channels and kinds, as citizens and staff read them."""

from __future__ import annotations

from feedback.cases.states import CaseKind, CaseState, Channel
from portal.i18n import _l

STATE_LABELS = {
    CaseState.RECEIVED: _l("待確認電子郵件"),
    CaseState.ASSIGNED: _l("已分派"),
    CaseState.IN_PROGRESS: _l("處理中"),
    CaseState.WAITING: _l("等待民眾補充資料"),
    CaseState.REPLIED: _l("已回覆"),
    CaseState.CLOSED: _l("已結案"),
}

CHANNEL_LABELS = {
    Channel.WEB: _l("網路"),
    Channel.COUNTER: _l("臨櫃"),
    Channel.PHONE: _l("電話（1910）"),
    Channel.LETTER: _l("書信"),
    Channel.EMAIL: _l("電子郵件"),
    Channel.OPEN311: _l("Open311 應用程式"),
}

KIND_LABELS = {
    CaseKind.COMPLAINT: _l("陳情與申訴"),
    CaseKind.SUGGESTION: _l("建議"),
    CaseKind.INQUIRY: _l("詢問"),
    CaseKind.COMMENDATION: _l("表揚"),
    CaseKind.APPLICATION: _l("申請"),
}
