"""The kernel's table-import core (tuanhang.kernel.tabular), on a format of its own: no importer's
columns, so what is pinned here is the generic reading, header matching and all-or-nothing rule."""

import ast
import io
from pathlib import Path

import pytest
from django.utils import translation

from tuanhang.kernel.tabular import ImportFileError, ImportPlan, RowResult, TableFormat

ROOT = Path(__file__).resolve().parents[1]

FRUIT = TableFormat(
    columns=(("name", ("Tên",)), ("weight", ("Cân nặng", "Khối lượng")), ("note", ())),
    required=("name", "weight"),
    max_rows=2,
    empty_message="empty fruit list",
    too_many_message="more than %(max)s fruits",
)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _csv(text: str) -> io.BytesIO:
    return io.BytesIO(text.encode("utf-8-sig"))


def test_read_matches_headers_ignoring_case_accents_and_spacing():
    table = FRUIT.read(_csv("TEN;  khoi LUONG ;note\nXoài ; 1,5;\n;;\nMít;12;to\n"), "fruit.csv")

    assert table.errors == []
    assert table.columns == ["name", "weight", "note"]
    assert table.rows == [
        (2, {"name": "Xoài", "weight": "1,5", "note": ""}),
        (4, {"name": "Mít", "weight": "12", "note": "to"}),
    ]


def test_read_reports_unknown_repeated_and_missing_columns_on_the_header_row():
    table = FRUIT.read(_csv("\ncolour,Tên,name\nđỏ,Táo,Táo\n"), "fruit.csv")

    assert [(e.row, e.field) for e in table.errors] == [(2, "header"), (2, "name"), (2, "weight")]
    assert table.errors[0].message == ("Unknown column “colour”. Known columns: name [Tên], weight [Cân nặng], note.")
    assert table.errors[2].message == "The required column “weight [Cân nặng]” is missing."
    assert table.rows == []


@pytest.mark.parametrize("header", ["STT", "TT", "Số TT", "số thứ tự", "No."])
def test_read_passes_over_a_row_number_column(header):
    table = FRUIT.read(_csv(f"{header};Tên;Cân nặng\n1;Xoài;2\n2;Mít;12\n"), "fruit.csv")

    assert table.errors == []
    assert table.columns == ["name", "weight"]
    assert table.rows == [(2, {"name": "Xoài", "weight": "2"}), (3, {"name": "Mít", "weight": "12"})]


def test_a_format_column_named_like_a_row_number_is_read():
    numbered = TableFormat(
        columns=(("name", ("Tên",)), ("number", ("STT",))),
        required=("name",),
        max_rows=10,
        empty_message="",
        too_many_message="",
    )

    table = numbered.read(_csv("STT;Tên\n7;Xoài\n"), "fruit.csv")

    assert table.rows == [(2, {"number": "7", "name": "Xoài"})]


def test_read_refuses_an_empty_file_too_many_rows_and_other_formats():
    with pytest.raises(ImportFileError, match="empty fruit list"):
        FRUIT.read(_csv(",,\n"), "fruit.csv")
    with pytest.raises(ImportFileError, match="more than 2 fruits"):
        FRUIT.read(_csv("name,weight\na,1\nb,2\nc,3\n"), "fruit.csv")
    with pytest.raises(ImportFileError, match=r"Only \.xlsx and \.csv"):
        FRUIT.read(_csv("name,weight\n"), "fruit.ods")


def test_row_values_and_header_key_are_the_formats_own():
    shouting = TableFormat(
        columns=FRUIT.columns,
        required=("name",),
        max_rows=10,
        empty_message="",
        too_many_message="",
        header_key=lambda text: text.strip().lower(),
        row_values=lambda raw: {key: str(value).upper() for key, value in raw.items()},
    )

    table = shouting.read(_csv(" NAME \nxoài\n"), "fruit.csv")

    assert table.rows == [(2, {"name": "XOÀI"})]


def _plan(*errors_by_row, file_errors=()):
    rows = [RowResult(row=n, values={}) for n in range(2, 2 + len(errors_by_row))]
    for row, errors in zip(rows, errors_by_row, strict=True):
        for field in errors:
            row.error(field, "wrong")
    return ImportPlan(rows=rows, file_errors=list(file_errors))


def test_rows_to_write_is_all_or_nothing_unless_invalid_rows_are_skipped():
    plan = _plan([], ["weight"], [])

    assert plan.rows_to_write() == []
    assert [r.row for r in plan.rows_to_write(skip_invalid=True)] == [2, 4]
    assert [r.row for r in _plan([], []).rows_to_write()] == [2, 3]
    assert _plan([], file_errors=["header"]).rows_to_write(skip_invalid=True) == []


def test_the_kernel_imports_no_app_of_ours():
    apps = {"events", "vendors", "booths"}
    for path in (ROOT / "tuanhang" / "kernel").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            assert not {name.split(".")[0] for name in names} & apps, path
