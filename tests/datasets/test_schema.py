"""Schemas: inferred, codes kept as strings, merged with what staff wrote, edited in a form."""

from __future__ import annotations

from pathlib import Path

from datasets.schema import MAX_INDEXES, infer_schema, merge_schema, schema_from_form, to_table_schema
from tests.datasets.conftest import write_csv


def test_inference_keeps_codes_with_leading_zeros_as_text(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "s.csv",
        ["phone", "postal", "account", "count", "amount", "day", "name"],
        [
            ["0912345678", "200", "0900282669", "3", "12.5", "2026-01-02", "王"],
            ["0224252103", "022", "0012345678", "4", "7", "2026-01-03", "陳"],
        ],
    )
    types = {field["name"]: field["type"] for field in infer_schema(path)["fields"]}
    assert types == {
        "phone": "string",
        "postal": "string",
        "account": "string",
        "count": "integer",
        "amount": "number",
        "day": "date",
        "name": "string",
    }


def test_inference_marks_required_and_limits_indexes(tmp_path: Path) -> None:
    header = [f"c{number}" for number in range(10)]
    path = write_csv(
        tmp_path / "s.csv",
        header,
        [[str(row % 3) for _ in header] for row in range(20)] + [["" for _ in header]],
    )
    schema = infer_schema(path)
    assert sum(1 for field in schema["fields"] if field["index"]) == MAX_INDEXES
    assert all("constraints" not in field for field in schema["fields"])


def test_merge_keeps_what_staff_wrote() -> None:
    current = {
        "fields": [
            {"name": "a", "type": "string", "title": "甲", "title_en": "A"},
            {"name": "gone", "type": "integer", "title": "舊"},
        ],
        "primaryKey": ["a"],
    }
    inferred = {
        "fields": [
            {"name": "a", "type": "integer", "title": "a"},
            {"name": "new", "type": "date", "title": "new"},
        ]
    }
    merged = merge_schema(current, inferred)
    assert merged["fields"][0]["title_en"] == "A"
    assert merged["fields"][0]["type"] == "string"
    assert merged["fields"][1]["name"] == "new"
    assert merged["primaryKey"] == ["a"]


def test_form_values_become_a_schema(app) -> None:
    base = {
        "title_en": "",
        "description": "",
        "description_en": "",
        "unit": "",
        "index": False,
        "required": False,
        "minimum": "",
        "maximum": "",
        "max_length": "",
        "pattern": "",
    }
    with app.test_request_context("/"):
        schema, problems = schema_from_form(
            [
                {
                    **base,
                    "name": "n",
                    "type": "integer",
                    "title": "數量",
                    "minimum": "0",
                    "maximum": "10",
                    "required": True,
                },
                {**base, "name": "d", "type": "date", "title": "日期", "minimum": "2026-01-01"},
                {
                    **base,
                    "name": "s",
                    "type": "string",
                    "title": "代碼",
                    "max_length": "5",
                    "pattern": "[A-Z]+",
                },
            ],
            ["n", "nope"],
        )
        assert problems == {}
        assert schema["fields"][0]["constraints"] == {"required": True, "minimum": 0, "maximum": 10}
        assert schema["fields"][1]["constraints"] == {"minimum": "2026-01-01"}
        assert schema["fields"][2]["constraints"] == {"maxLength": 5, "pattern": "[A-Z]+"}
        assert schema["primaryKey"] == ["n"]
        _schema, problems = schema_from_form(
            [{**base, "name": "n", "type": "integer", "title": "n", "minimum": "many"}], []
        )
        assert list(problems) == [0]


def test_table_schema_is_standard() -> None:
    schema = {
        "fields": [
            {
                "name": "a",
                "type": "number",
                "title": "甲",
                "title_en": "A",
                "description": "說明",
                "description_en": "Note",
                "unit": "mg/L",
                "index": True,
                "constraints": {"required": True, "pattern": "", "minimum": 0},
            }
        ],
        "primaryKey": ["a"],
    }
    descriptor = to_table_schema(schema)
    assert descriptor == {
        "fields": [
            {
                "name": "a",
                "type": "number",
                "title": "甲",
                "description": "說明 / Note (mg/L)",
                "constraints": {"required": True, "minimum": 0},
            }
        ],
        "primaryKey": ["a"],
    }
