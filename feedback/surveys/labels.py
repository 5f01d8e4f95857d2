"""The words people read for survey answers: the five faces, the aspects, counter reasons."""

from __future__ import annotations

from portal.i18n import _l

FACE_LABELS = {
    1: _l("非常不滿意"),
    2: _l("不滿意"),
    3: _l("普通"),
    4: _l("滿意"),
    5: _l("非常滿意"),
}

ASPECT_LABELS = {
    "timeliness": _l("處理速度"),
    "attitude": _l("服務態度"),
    "professionalism": _l("專業程度"),
    "clarity": _l("回覆內容清楚易懂"),
}

VERSION_STATE_LABELS = {
    "draft": _l("草稿"),
    "not_yet": _l("已發布，尚未開始"),
    "open": _l("開放填答中"),
    "closed": _l("已結束"),
}
