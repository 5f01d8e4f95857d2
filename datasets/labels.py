"""Names shown to people for the codes publishing stores: job states, stages, kinds of personal data.

Lazy strings, translated when shown; the views, templates and the job page's script all
read them from here.
"""

from __future__ import annotations

from datasets.job_states import JobState
from portal.i18n import _l

JOB_STATES = {
    JobState.QUEUED: _l("等待處理"),
    JobState.RUNNING: _l("處理中"),
    JobState.DONE: _l("已發布"),
    JobState.FAILED: _l("未發布"),
}
JOB_STAGES = {
    "": _l("等待開始"),
    "ingest": _l("讀取檔案"),
    "schema": _l("確認欄位"),
    "validate": _l("驗證與載入資料"),
    "keys": _l("檢查重複"),
    "index": _l("建立索引"),
    "compare": _l("比對前一版"),
    "write": _l("產生檔案"),
    "gate": _l("掃描個人資料"),
    "switch": _l("上線"),
    "done": _l("完成"),
}


PII_KINDS = {
    "national_id": _l("身分證號"),
    "resident_id": _l("居留證號"),
    "phone": _l("電話"),
    "email": _l("電子郵件"),
    "card": _l("信用卡號"),
    "address": _l("地址"),
    "name": _l("姓名"),
}
