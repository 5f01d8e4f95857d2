"""De-identification: the rules a release's rows go through, the k-anonymity check, and the
personal-data gate every release passes before it is published.

- `DeidPlan` turns a dataset's schema (with each field's `deid` rule) into the schema
  that is published and a function from a row's cells to the published cells.
- `check_rules()` lists what is wrong with declared rules, for forms and YAML files.
- `Gate` scans the published cells with the personal-data scanner, counts what it
  finds, and sets aside what the publisher has justified before.
- `pseudonym_key()` derives each dataset's pseudonym key from the site's key, which is
  kept outside the database (`PSEUDONYM_KEY`, or `instance/pseudonym_key`), and
  `fingerprint_key()` the key of its findings' fingerprints (keyed HMACs, so that a
  published fingerprint cannot be reversed by trying every phone number).
"""

from __future__ import annotations

import hashlib
import hmac
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from datasets.deid.rules import GENERALISE_LEVELS, MASK_KINDS, RULES, RuleError, make_rule, published_type
from datasets.pii import MIN_DIGITS, is_name_column, mask_finding, scan_text

__all__ = [
    "FINGERPRINT_SCHEME",
    "DeidPlan",
    "Gate",
    "RuleError",
    "check_rules",
    "describe_report",
    "finding_fingerprint",
    "fingerprint_key",
    "pseudonym_key",
]

MAX_EXAMPLES = 200
# Values already scanned in a column are not scanned again: most text columns repeat a
# few values (districts, kinds, states). The memo is bounded per column, and over all columns
# together, so that a wide table's memos take no more memory than a narrow one's.
SCAN_MEMO_SIZE = 20_000
SCAN_MEMO_TOTAL = 240_000
NUMERIC = {"integer", "number", "year"}


def pseudonym_key(site_key: bytes, dataset_slug: str) -> bytes:
    """The dataset's own key: pseudonyms link rows over releases, never across datasets."""
    return hmac.new(site_key, f"dataset:{dataset_slug}".encode(), hashlib.sha256).digest()


def check_rules(schema: dict[str, Any]) -> list[str]:
    """What is wrong with the fields' de-identification rules, one message per problem."""
    problems = []
    for spec in schema.get("fields", []):
        rule = spec.get("deid") or {}
        name = rule.get("rule", "keep")
        where = f"{spec['name']}: "
        if name not in RULES:
            problems.append(where + f"unknown rule {name!r} (one of {', '.join(RULES)})")
            continue
        if name == "mask" and rule.get("kind", "text") not in MASK_KINDS:
            problems.append(where + f"mask kind must be one of {', '.join(MASK_KINDS)}")
        if name == "generalise":
            level = rule.get("level")
            if level not in GENERALISE_LEVELS:
                problems.append(where + f"generalise level must be one of {', '.join(GENERALISE_LEVELS)}")
            elif level in {"month", "year", "roc_year"} and spec["type"] not in {"date", "datetime"}:
                problems.append(where + f"a {spec['type']} field cannot be generalised to a {level}")
            elif level == "range" and (spec["type"] not in NUMERIC or float(rule.get("width", 10)) <= 0):
                problems.append(where + "ranges need a number field and a positive width")
        if name in {"top_code", "bottom_code"}:
            if spec["type"] not in NUMERIC:
                problems.append(where + f"{name} needs a number field")
            try:
                float(rule["limit"])
            except (KeyError, TypeError, ValueError):
                problems.append(where + f"{name} needs a numeric limit")
        if name == "suppress_small" and spec["type"] not in NUMERIC:
            problems.append(where + "suppress_small needs a count (number) field")
    return problems


class DeidPlan:
    """How one dataset's rows are de-identified, and what is published."""

    def __init__(self, schema: dict[str, Any], key: bytes) -> None:
        problems = check_rules(schema)
        if problems:
            raise RuleError("; ".join(problems))
        self.source_schema = schema
        self.steps: list[tuple[int, Callable[[str], str] | None]] = []
        fields = []
        for position, spec in enumerate(schema["fields"]):
            out_type = published_type(spec)
            if out_type is None:
                continue
            self.steps.append((position, make_rule(spec, key)))
            published = dict(spec)
            published["type"] = out_type
            if out_type != spec["type"]:
                published.pop("constraints", None)  # the source's constraints no longer describe the text
            fields.append(published)
        self.schema: dict[str, Any] = {"fields": fields}
        kept = {spec["name"] for spec in fields if (spec.get("deid") or {}).get("rule", "keep") == "keep"}
        if schema.get("primaryKey") and set(schema["primaryKey"]) <= kept:
            self.schema["primaryKey"] = list(schema["primaryKey"])
        self.identity = all(rule is None for _position, rule in self.steps) and len(self.steps) == len(
            schema["fields"]
        )

    def converted_positions(self) -> list[int]:
        """Published positions whose text a rule wrote, or whose type the rule changed: their
        text was not validated as the published type, so it is converted strictly when stored."""
        return [
            published
            for published, ((position, rule), spec) in enumerate(
                zip(self.steps, self.schema["fields"], strict=True)
            )
            if rule is not None or spec["type"] != self.source_schema["fields"][position]["type"]
        ]

    def typer(self) -> Callable[[list[Any], list[str]], list[Any]]:
        """A function giving the published row's typed values from the source's and the published text."""
        from datasets.validation import convert

        plan: list[tuple[int, str | None]] = []
        for (position, rule), spec in zip(self.steps, self.schema["fields"], strict=True):
            unchanged = rule is None and spec["type"] == self.source_schema["fields"][position]["type"]
            plan.append((position, None if unchanged else spec["type"]))
        if all(out_type is None for _position, out_type in plan) and self.identity:
            return lambda values, _cells: values

        def typed(values: list[Any], cells: list[str]) -> list[Any]:
            return [
                values[position] if out_type is None else (convert(out_type, text) if text != "" else None)
                for (position, out_type), text in zip(plan, cells, strict=True)
            ]

        return typed

    def apply(self, cells: list[str]) -> list[str]:
        """The published cells of a valid row."""
        if self.identity:
            return cells
        return [
            cells[position] if rule is None or cells[position] == "" else rule(cells[position])
            for position, rule in self.steps
        ]

    def report(self) -> list[dict[str, Any]]:
        """The rule of every source field, for the release's de-identification report."""
        return [
            {"field": spec["name"], **({"rule": "keep"} | (spec.get("deid") or {}))}
            for spec in self.source_schema["fields"]
        ]


# How fingerprints are made; allowances recorded under another scheme no longer match.
FINGERPRINT_SCHEME = "hmac-sha256"


def fingerprint_key(site_key: bytes, dataset_slug: str) -> bytes:
    """The dataset's key for fingerprints of findings, apart from its pseudonym key."""
    return hmac.new(site_key, f"finding-fingerprint:{dataset_slug}".encode(), hashlib.sha256).digest()


def finding_fingerprint(key: bytes, column: str, kind: str, text: str) -> str:
    """What identifies a finding across releases without storing its text.

    Keyed, so that it cannot be reversed by trying every phone number or ID: only the
    site, which holds the key, can tell which text a fingerprint stands for.
    """
    if not key:
        raise ValueError("a fingerprint needs a key")
    message = f"{column}\x1f{kind}\x1f{text}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:32]


@dataclass
class Gate:
    """Scans published cells; whatever it finds blocks the release unless justified."""

    schema: dict[str, Any]
    key: bytes
    allowances: dict[str, dict[str, Any]] = field(default_factory=dict)
    cells_scanned: int = 0
    findings: int = 0
    by_column: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    examples: dict[str, dict[str, Any]] = field(default_factory=dict)
    justified: dict[str, dict[str, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Every column, whatever its type: cells are the text as the source wrote it, and a card
        # or phone number inferred as an integer is still a card or phone number. Only pseudonyms,
        # which the site wrote itself, are not scanned. Each column has the label the scanner reads
        # it by: its name when that says the column holds names (a name alone is then a finding).
        self.columns = [
            (
                position,
                spec["name"],
                spec["name"] if is_name_column(spec["name"]) or is_name_column(spec.get("title")) else None,
            )
            for position, spec in enumerate(self.schema["fields"])
            if (spec.get("deid") or {}).get("rule") != "pseudonymise"
        ]
        self.allowances = {
            fingerprint: allowance
            for fingerprint, allowance in self.allowances.items()
            if allowance.get("scheme") == FINGERPRINT_SCHEME
        }
        # What the loop needs of each column, in one tuple: position, name, label and memo.
        self._plan: list[tuple[int, str, str | None, dict[str, list[Any]]]] = [
            (position, name, label, {}) for position, name, label in self.columns
        ]
        self._memo_size = min(SCAN_MEMO_SIZE, SCAN_MEMO_TOTAL // max(len(self.columns), 1))

    def scan(self, row: int, cells: list[str]) -> None:
        """Scan every scanned column's cell of one published row."""
        scanned = 0
        for position, name, label, memo in self._plan:
            text = cells[position]
            if not text:
                continue
            scanned += 1
            # Short ASCII without @ has fewer than eight digits and no Chinese: nothing the scanner
            # finds fits in it (`cannot_hold_personal_data`, which scan_text asks of longer text).
            if len(text) < MIN_DIGITS and text.isascii() and "@" not in text:
                continue
            findings = memo.get(text)
            if findings is None:
                findings = scan_text(text, label)
                if len(memo) < self._memo_size:
                    memo[text] = findings
            if findings:
                self._record(row, name, findings)
        self.cells_scanned += scanned

    def _record(self, row: int, name: str, findings: list[Any]) -> None:
        for finding in findings:
            fingerprint = finding_fingerprint(self.key, name, finding.kind, finding.text)
            allowance = self.allowances.get(fingerprint)
            if allowance is not None:
                self.justified.setdefault(fingerprint, {**allowance, "count": 0})["count"] += 1
                continue
            self.findings += 1
            self.by_column[name][finding.kind] += 1
            if fingerprint not in self.examples and len(self.examples) < MAX_EXAMPLES:
                self.examples[fingerprint] = {
                    "row": row,
                    "column": name,
                    "kind": finding.kind,
                    "masked": mask_finding(finding),
                    "fingerprint": fingerprint,
                }

    @property
    def clear(self) -> bool:
        """Whether nothing unjustified was found."""
        return self.findings == 0

    def to_dict(self) -> dict[str, Any]:
        """What the scan found, without the personal data itself."""
        return {
            "fingerprints": FINGERPRINT_SCHEME,
            "cells_scanned": self.cells_scanned,
            "findings": self.findings,
            "by_column": {column: dict(kinds) for column, kinds in self.by_column.items()},
            "examples": list(self.examples.values()),
            "justified": [
                public_justification(allowance) | {"fingerprint": fingerprint}
                for fingerprint, allowance in self.justified.items()
            ],
        }


# What a release's public report shows of a justification: never who (a user name).
PUBLIC_JUSTIFICATION_KEYS = ("column", "kind", "masked", "reason", "role", "office", "at", "count", "scheme")


def public_justification(allowance: dict[str, Any]) -> dict[str, Any]:
    """A justification as the public may see it: the role and office that gave it, not the person."""
    return {key: allowance[key] for key in PUBLIC_JUSTIFICATION_KEYS if key in allowance}


def public_report(report: dict[str, Any] | None) -> dict[str, Any] | None:
    """A stored de-identification report as published: justifications without who gave them.

    Reports stored before justifications named only a role still hold a user name; it is
    left out here, wherever a report is shown.
    """
    if not report:
        return report
    scan = report.get("scan")
    if not scan or not scan.get("justified"):
        return report
    justified = [
        public_justification(item) | {"fingerprint": item.get("fingerprint")} for item in scan["justified"]
    ]
    return {**report, "scan": {**scan, "justified": justified}}


RULE_WORDS = {
    "keep": ("保留", "kept"),
    "drop": ("不公開", "not published"),
    "mask": ("遮蔽", "masked"),
    "generalise": ("概化", "generalised"),
    "pseudonymise": ("假名化", "pseudonymised"),
    "top_code": ("上限歸併", "top-coded"),
    "bottom_code": ("下限歸併", "bottom-coded"),
    "suppress_small": ("小數值隱藏", "small counts suppressed"),
    "redact": ("刪除文字中的個人資料", "personal data removed from the text"),
}
_DETAIL_KEYS = ("kind", "level", "width", "limit", "threshold")


def describe_report(report: dict[str, Any]) -> tuple[list[str], list[str]]:
    """The de-identification report as lines of Chinese and of English (PDF, release notes)."""
    zh: list[str] = []
    en: list[str] = []
    for rule in report.get("rules", []):
        words = RULE_WORDS.get(rule.get("rule", "keep"), (rule.get("rule"), rule.get("rule")))
        details = ", ".join(f"{key}={rule[key]}" for key in _DETAIL_KEYS if key in rule)
        suffix = f" ({details})" if details else ""
        zh.append(f"{rule['field']}：{words[0]}{suffix}")
        en.append(f"{rule['field']}: {words[1]}{suffix}")
    k_report = report.get("k_anonymity")
    if k_report:
        achieved = k_report.get("achieved")
        zh.append(
            f"k-匿名：準識別欄位 {'、'.join(k_report['quasi_identifiers'])}，要求 k={k_report['k']}，"
            f"實際最小群組 {achieved if achieved is not None else '—'}，隱藏 {k_report['rows_suppressed']:,} 列。"
        )
        en.append(
            f"k-anonymity: quasi-identifiers {', '.join(k_report['quasi_identifiers'])}, k={k_report['k']} required, "
            f"smallest group {achieved if achieved is not None else '-'}, {k_report['rows_suppressed']:,} rows suppressed."
        )
    scan = report.get("scan") or {}
    if scan:
        justified = scan.get("justified", [])
        zh.append(
            f"個人資料掃描：檢查 {scan.get('cells_scanned', 0):,} 個儲存格，未說明的發現 {scan.get('findings', 0)} 項。"
        )
        en.append(
            f"Personal-data scan: {scan.get('cells_scanned', 0):,} cells checked, {scan.get('findings', 0)} unexplained findings."
        )
        for item in justified:
            zh.append(
                f"經說明後公開：{item['column']} 欄的 {item['kind']}（{item['masked']}）×{item.get('count', 1)}：{item['reason']}"
            )
            en.append(
                f"Published with a justification: {item['kind']} in {item['column']} ({item['masked']}) x{item.get('count', 1)}: {item['reason']}"
            )
    return zh, en
