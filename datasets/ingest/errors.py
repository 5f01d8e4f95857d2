"""Why a source file cannot be taken in, in words for the person who uploaded it."""

from __future__ import annotations

from typing import Any

from portal.i18n import _

# Each problem's message, looked up when shown so that it is in the reader's language.
_MESSAGES = {
    "empty_file": lambda p: _("檔案是空的，沒有任何資料。"),
    "header_only": lambda p: _("檔案只有標題列，沒有資料列。"),
    "blank_header": lambda p: _("第 %(column)d 欄沒有欄位名稱。每一欄都需要名稱。", **p),
    "duplicate_header": lambda p: _(
        "欄位名稱「%(name)s」重複出現（第 %(columns)s 欄）。每個欄位名稱只能出現一次。", **p
    ),
    "binary_file": lambda p: _("這不是文字格式的 CSV 檔，看起來是二進位檔案。請上傳 CSV、XLSX 或 ODS 檔。"),
    "nul_byte": lambda p: _("檔案第 %(line)d 行含有空字元（NUL），可能是損壞的檔案或二進位檔案。", **p),
    "unknown_encoding": lambda p: _("無法辨識檔案的文字編碼。請存成 UTF-8 或 Big5 後再上傳。"),
    "mixed_encoding": lambda p: _(
        "檔案混用了不同的文字編碼：第 %(utf8_line)d 行是 UTF-8，第 %(big5_line)d 行是 Big5。請統一存成 UTF-8 後再上傳。",
        **p,
    ),
    "cell_too_long": lambda p: _(
        "第 %(row)d 列「%(column)s」欄的內容有 %(length)d 個字，超過每格 %(limit)d 字的上限。", **p
    ),
    "malformed_csv": lambda p: _("CSV 格式有誤：可能有未成對的引號，或儲存格內容過長。"),
    "too_many_columns": lambda p: _("檔案有 %(count)d 欄，超過 %(limit)d 欄的上限。", **p),
    "too_many_rows": lambda p: _(
        "試算表的資料延伸到第 %(count)d 列，超過 %(limit)d 列的上限（Excel 與 LibreOffice 也只有這麼多列）。",
        **p,
    ),
    "ingest_memory": lambda p: _(
        "讀取這個試算表需要超過 %(limit)d MB 的記憶體，已停止處理。請刪除大量重複或空白的儲存格，或另存成 CSV 後再上傳。",
        **p,
    ),
    "ingest_timeout": lambda p: _(
        "讀取這個試算表超過 %(seconds)d 秒的上限，已停止處理。請另存成 CSV，或分成較小的檔案後再上傳。", **p
    ),
    "too_large": lambda p: _("檔案超過 %(limit)s 的上限。", **p),
    "not_a_spreadsheet": lambda p: _("檔案副檔名是 %(extension)s，但內容不是這種格式。", **p),
    "unsupported_format": lambda p: _(
        "不支援這種檔案格式（%(extension)s）。請上傳 CSV、XLSX 或 ODS 檔。", **p
    ),
    "archive_bomb": lambda p: _("試算表解壓縮後大得不合理（可能是惡意的壓縮炸彈），已拒絕處理。"),
    "damaged_spreadsheet": lambda p: _("試算表檔案損壞或加密，無法讀取。"),
    "sheet_not_found": lambda p: _("找不到工作表「%(sheet)s」。檔案中的工作表有：%(sheets)s。", **p),
    "columns_changed": lambda p: _(
        "檔案的欄位與資料集的欄位定義不同（缺少：%(missing)s；多出：%(extra)s）。請先更新欄位定義。", **p
    ),
}


class IngestError(ValueError):
    """A source file that cannot be taken in. `code` names the problem; `message()` explains it."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params

    def message(self) -> str:
        """The explanation in the current language."""
        return _MESSAGES[self.code](self.params)

    def to_dict(self) -> dict[str, Any]:
        """A form that survives being stored as JSON (a job's report)."""
        return {"code": self.code, "params": self.params}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> IngestError:
        """Rebuild an error stored with `to_dict`."""
        return cls(data["code"], **data.get("params", {}))
