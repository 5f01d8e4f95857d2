"""Why a publish job published nothing, in words for the publisher, in their language.

The staff job page, the publishing API's job document and the command line all explain a
failed job with `failure_message()`, so that a refusal reads the same wherever it is met.
"""

from __future__ import annotations

from datasets.ingest import IngestError
from datasets.job_states import RefusalReason
from datasets.models import PublishJob
from portal.i18n import _


def failure_message(job: PublishJob) -> str:
    """The explanation of a failed job (its `message` and `report` say what happened)."""
    report = job.report or {}
    if job.reason == RefusalReason.BUSY:
        return _("這個資料集正在發布另一個版本，請等它完成後再試。")
    if "ingest" in report:
        return IngestError.from_dict(report["ingest"]).message()
    if "rules" in report:
        return _("去識別化規則無法套用：%(problem)s。請修改欄位定義後重新發布。", problem=report["rules"])
    if "pii" in report:
        return _(
            "掃描發現可能的個人資料，沒有發布任何資料。請為這些欄位設定去識別化規則，或逐項說明可以公開的理由後重新發布。"
        )
    if "validation" in report:
        if job.reason == RefusalReason.NO_ROWS:
            return _("刪除驗證失敗的列之後，沒有任何資料可以發布。")
        return _("資料驗證失敗，沒有發布任何資料。請修正下列問題後重新上傳，或選擇刪除驗證失敗的列。")
    return _("發布時發生系統錯誤，沒有發布任何資料。請稍後再試，或聯絡系統管理員。")
