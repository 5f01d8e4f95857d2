"""A release's notes, in Chinese and English, from what the publish found: a pure function."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from datasets.validation import Report


@dataclass(frozen=True)
class Changes:
    """How a release differs from the previous one (None: not comparable, or no previous one)."""

    has_previous: bool
    added: int | None = None
    removed: int | None = None
    changed: int | None = None


def release_notes(
    number: int,
    row_count: int,
    changes: Changes,
    report: Report,
    notes: tuple[str, str] = ("", ""),
    deid_report: dict[str, Any] | None = None,
) -> tuple[list[str], list[str]]:
    """The release notes in Chinese and English, as lists of lines.

    `notes` are the publisher's own notes (Chinese, English); `report` is the validation
    report, whose problems are the rows the publisher chose to drop.
    """
    zh = [f"第 {number} 版，共 {row_count:,} 列。"]
    en = [f"Release {number}, {row_count:,} rows."]
    _compared(zh, en, changes)
    _validated(zh, en, report)
    _deidentified(zh, en, deid_report or {})
    notes_zh, notes_en = notes
    if notes_zh:
        zh.append("發布說明：" + notes_zh)
    if notes_en:
        en.append("Publisher's note: " + notes_en)
    return zh, en


def _compared(zh: list[str], en: list[str], changes: Changes) -> None:
    if not changes.has_previous:
        zh.append("首次發布。")
        en.append("First release.")
        return
    changed_zh = f"、修改 {changes.changed:,} 列" if changes.changed is not None else ""
    changed_en = f", {changes.changed:,} changed" if changes.changed is not None else ""
    added, removed = changes.added or 0, changes.removed or 0
    zh.append(f"與前一版相比：新增 {added:,} 列、刪除 {removed:,} 列{changed_zh}。")
    en.append(f"Compared with the previous release: {added:,} added, {removed:,} removed{changed_en}.")


def _validated(zh: list[str], en: list[str], report: Report) -> None:
    if report.valid:
        zh.append(f"驗證結果：{report.rows_checked:,} 列全部通過。")
        en.append(f"Validation: all {report.rows_checked:,} rows passed.")
        return
    dropped = sorted({problem.row for problem in report.problems})
    listed = "、".join(map(str, dropped[:50])) + ("…" if len(dropped) > 50 else "")
    problems = sum(report.counts.values())
    zh.append(
        f"驗證結果：{report.invalid_rows:,} 列有問題（{problems:,} 項），"
        f"依發布者選擇刪除這些列後發布（原檔第 {listed} 列）。"
    )
    en.append(
        f"Validation: {report.invalid_rows:,} rows had problems ({problems:,} in all); "
        f"the publisher chose to drop them (source rows {listed.replace('、', ', ')})."
    )


def _deidentified(zh: list[str], en: list[str], deid_report: dict[str, Any]) -> None:
    k_report = deid_report.get("k_anonymity")
    if k_report and k_report["rows_suppressed"]:
        withheld, k = k_report["rows_suppressed"], k_report["k"]
        zh.append(f"為避免識別個人，隱藏了 {withheld:,} 列準識別組合少於 {k} 列的資料。")
        en.append(
            f"To keep people from being identified, {withheld:,} rows whose quasi-identifiers "
            f"were shared by fewer than {k} rows were withheld."
        )
    for item in (deid_report.get("scan") or {}).get("justified", []):
        zh.append(
            f"掃描發現 {item['column']} 欄含 {item['kind']}（{item['masked']}），經發布者說明後公開：{item['reason']}"
        )
        en.append(
            f"The scan found {item['kind']} in {item['column']} ({item['masked']}); "
            f"published with the publisher's justification: {item['reason']}"
        )
