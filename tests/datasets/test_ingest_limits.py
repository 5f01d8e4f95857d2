"""Spreadsheets that say a great deal in a few bytes: every repeat is bounded before it is built.

Each hostile file is measured as it is read: how long it takes and how much memory Python
allocates for it (tracemalloc), so that "refused before anything is allocated" is checked,
not assumed.
"""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from datasets.ingest import IngestError, open_source
from tests.datasets.sheets import (
    inline_cell,
    number_cell,
    ods_row,
    text_cell,
    write_ods,
    write_xlsx,
    xlsx_row,
)

HEADER_ROW = ods_row(text_cell("代碼"), text_cell("名稱"))
DATA_ROW = ods_row(text_cell("A1"), text_cell("基隆"))
XLSX_HEADER = xlsx_row(1, inline_cell("A1", "代碼"), inline_cell("B1", "名稱"))
XLSX_DATA = xlsx_row(2, inline_cell("A2", "A1"), inline_cell("B2", "基隆"))
# Far more than any of these files needs, far less than expanding one of their repeats would take.
MEMORY_BUDGET = 2 * 1024 * 1024


def measured(read: Callable[[], Any]) -> tuple[Any, float, int]:
    """What `read()` returns or raises, the seconds it took and the most memory it allocated at once."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        outcome: Any = read()
    except IngestError as error:
        outcome = error
    finally:
        seconds = time.perf_counter() - started
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return outcome, seconds, peak


def read_all(path: Path) -> tuple[list[str], list[list[str]]]:
    source = open_source(path, path.name)
    return source.info.columns, list(source.rows)


def test_empty_cells_repeated_before_a_value_are_refused_before_they_are_built(tmp_path: Path) -> None:
    path = write_ods(
        tmp_path / "wide.ods",
        HEADER_ROW,
        ods_row('<table:table-cell table:number-columns-repeated="3000000"/>', text_cell("x")),
    )
    refused, seconds, peak = measured(lambda: read_all(path))
    assert isinstance(refused, IngestError)
    assert (refused.code, refused.params) == ("too_many_columns", {"count": 3_000_001, "limit": 1000})
    assert peak < MEMORY_BUDGET, f"{peak:,} bytes allocated for a refused row"
    assert seconds < 1


def test_blank_rows_repeated_millions_of_times_are_refused_without_being_made(tmp_path: Path) -> None:
    path = write_ods(
        tmp_path / "tall.ods",
        HEADER_ROW,
        DATA_ROW,
        ods_row("<table:table-cell/>", attributes=' table:number-rows-repeated="3000000"'),
        DATA_ROW,
    )
    assert path.stat().st_size < 1024
    refused, seconds, peak = measured(lambda: read_all(path))
    assert isinstance(refused, IngestError)
    assert (refused.code, refused.params) == ("too_many_rows", {"count": 3_000_003, "limit": 1_048_576})
    assert peak < MEMORY_BUDGET
    assert seconds < 1


def test_trailing_empty_cells_and_rows_libreoffice_writes_are_trimmed_without_being_made(
    tmp_path: Path,
) -> None:
    trailing_cells = '<table:table-cell table:number-columns-repeated="1000"/>'
    path = write_ods(
        tmp_path / "libreoffice.ods",
        ods_row(
            text_cell("代碼"), text_cell("名稱"), '<table:table-cell table:number-columns-repeated="1022"/>'
        ),
        ods_row(text_cell("A1"), text_cell("基隆"), trailing_cells),
        ods_row(
            '<table:table-cell office:value-type="float" office:value="2"/>',
            text_cell("汐止"),
            trailing_cells,
        ),
        ods_row(
            '<table:table-cell table:number-columns-repeated="1024"/>',
            attributes=' table:number-rows-repeated="1048000"',
        ),
    )
    (columns, rows), seconds, peak = measured(lambda: read_all(path))
    assert columns == ["代碼", "名稱"]
    assert rows == [["A1", "基隆"], ["2", "汐止"]]
    assert peak < MEMORY_BUDGET
    assert seconds < 1


def test_a_row_with_values_repeated_below_the_last_row_is_refused(tmp_path: Path) -> None:
    repeated = ods_row(text_cell("A1"), text_cell("基隆"), attributes=' table:number-rows-repeated="2000000"')
    refused, seconds, peak = measured(
        lambda: read_all(write_ods(tmp_path / "copies.ods", HEADER_ROW, repeated))
    )
    assert isinstance(refused, IngestError)
    assert (refused.code, refused.params) == ("too_many_rows", {"count": 2_000_001, "limit": 1_048_576})
    assert peak < MEMORY_BUDGET
    assert seconds < 1
    few = ods_row(text_cell("A1"), text_cell("基隆"), attributes=' table:number-rows-repeated="3"')
    assert read_all(write_ods(tmp_path / "three.ods", HEADER_ROW, few))[1] == [["A1", "基隆"]] * 3


def test_repeated_spaces_count_against_the_cell_limit_before_they_are_made(tmp_path: Path) -> None:
    spaces = '<table:table-cell office:value-type="string"><text:p>a<text:s text:c="50000000"/></text:p></table:table-cell>'
    path = write_ods(tmp_path / "spaces.ods", HEADER_ROW, ods_row(text_cell("A1"), spaces))
    refused, seconds, peak = measured(lambda: read_all(path))
    assert isinstance(refused, IngestError)
    assert refused.code == "cell_too_long"
    assert refused.params == {"row": 2, "column": "B", "length": 50_000_001, "limit": 32_767}
    assert peak < MEMORY_BUDGET
    assert seconds < 1
    kept = '<table:table-cell office:value-type="string"><text:p>a<text:s text:c="3"/>b</text:p></table:table-cell>'
    assert read_all(write_ods(tmp_path / "kept.ods", HEADER_ROW, ods_row(text_cell("A1"), kept)))[1] == [
        ["A1", "a   b"]
    ]


@pytest.mark.parametrize("count", ["-5", "0", "many", "9" * 40])
def test_a_repeat_that_is_not_a_count_means_a_damaged_file(tmp_path: Path, count: str) -> None:
    cell = text_cell("x", f' table:number-columns-repeated="{count}"')
    with pytest.raises(IngestError) as refused:
        read_all(write_ods(tmp_path / "odd.ods", HEADER_ROW, ods_row(text_cell("A1"), cell)))
    assert refused.value.code == "damaged_spreadsheet"


def test_an_xlsx_dimension_that_claims_every_cell_is_ignored(tmp_path: Path) -> None:
    # A value on row 2000 of a sheet claiming 16,384 columns: the rows between are counted, not built.
    late = xlsx_row(2000, inline_cell("A2000", "A1"), inline_cell("B2000", "基隆"))
    path = write_xlsx(tmp_path / "claims.xlsx", XLSX_HEADER, late, dimension="A1:XFD2000")
    (columns, rows), seconds, peak = measured(lambda: read_all(path))
    assert columns == ["代碼", "名稱"]
    assert rows == [[]] * 1998 + [["A1", "基隆"]]
    assert seconds < 1, "rows were filled out to the claimed 16,384 columns"
    assert peak < MEMORY_BUDGET * 4  # openpyxl's workbook parts, not rows


def test_an_xlsx_row_numbered_below_the_last_row_is_refused(tmp_path: Path) -> None:
    far = xlsx_row(2_000_000, inline_cell("A2000000", "A2"), inline_cell("B2000000", "汐止"))
    refused, seconds, peak = measured(
        lambda: read_all(write_xlsx(tmp_path / "far.xlsx", XLSX_HEADER, XLSX_DATA, far))
    )
    assert isinstance(refused, IngestError)
    assert (refused.code, refused.params) == ("too_many_rows", {"count": 2_000_000, "limit": 1_048_576})
    assert seconds < 1
    assert peak < MEMORY_BUDGET * 4
    near = xlsx_row(5, number_cell("A5", 7), inline_cell("B5", "汐止"))
    assert read_all(write_xlsx(tmp_path / "near.xlsx", XLSX_HEADER, XLSX_DATA, near))[1] == [
        ["A1", "基隆"],
        [],
        [],
        ["7", "汐止"],
    ]


def test_an_xlsx_cell_in_a_far_column_is_refused(tmp_path: Path) -> None:
    wide = xlsx_row(2, inline_cell("A2", "A1"), inline_cell("XFD2", "x"), attributes=' spans="1:16384"')
    with pytest.raises(IngestError) as refused:
        read_all(write_xlsx(tmp_path / "wide.xlsx", XLSX_HEADER, wide))
    assert (refused.value.code, refused.value.params) == (
        "too_many_columns",
        {"count": 16_384, "limit": 1000},
    )


def test_xlsx_trailing_empty_cells_and_rows_are_trimmed(tmp_path: Path) -> None:
    styled = xlsx_row(2, inline_cell("A2", "A1"), inline_cell("B2", "基隆"), '<c r="XFD2" s="1"/>')
    last = xlsx_row(1_048_576, '<c r="A1048576" s="1"/>', attributes=' spans="1:16384"')
    path = write_xlsx(tmp_path / "styled.xlsx", XLSX_HEADER, styled, last, dimension="A1:XFD1048576")
    (columns, rows), seconds, peak = measured(lambda: read_all(path))
    assert (columns, rows) == (["代碼", "名稱"], [["A1", "基隆"]])
    assert peak < MEMORY_BUDGET * 4  # openpyxl's workbook parts, not rows
    assert seconds < 1


def test_xlsx_rows_out_of_order_mean_a_damaged_file(tmp_path: Path) -> None:
    earlier = xlsx_row(1, inline_cell("A1", "again"))
    with pytest.raises(IngestError) as refused:
        read_all(write_xlsx(tmp_path / "order.xlsx", XLSX_HEADER, XLSX_DATA, earlier))
    assert refused.value.code == "damaged_spreadsheet"
