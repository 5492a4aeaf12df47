"""`zhenggai parse`: the promised JSON shape, text output, and one-line errors."""

import json
from pathlib import Path

import pytest

from tests.support import SAMPLES
from zhenggai.cli import main

TOP_KEYS = {
    "title",
    "org",
    "inspection_body",
    "onsite_period",
    "feedback_date",
    "categories",
    "stated_totals",
    "accountability",
    "regulations",
    "unfinished",
    "contact",
    "warnings",
}


def test_it_prints_the_promised_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(SAMPLES[4])]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) >= TOP_KEYS
    assert set(data["onsite_period"]) == {"start", "end"}
    assert data["feedback_date"] == "2025-02-24"
    assert {"categories", "problems", "completed"} <= set(data["stated_totals"])
    assert {
        "party_discipline",
        "ordered_self_examination",
        "criticism_education",
        "admonition_talk",
        "other",
    } <= set(data["accountability"])
    assert {"problem", "reason", "next_steps", "deadline"} <= set(data["unfinished"][0])
    assert set(data["contact"]) == {"phone", "address", "postcode", "email"}
    problem = data["categories"][0]["problems"][0]
    assert {"title", "description", "measures", "subproblems"} <= set(problem)
    assert {"title", "measures"} <= set(problem["subproblems"][0])
    assert set(problem["subproblems"][0]["measures"][0]) >= {"text"}


def test_a_document_without_categories_has_one_untitled_category(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["parse", str(SAMPLES[2])]) == 0
    categories = json.loads(capsys.readouterr().out)["categories"]
    assert len(categories) == 1 and categories[0]["title"] is None
    assert len(categories[0]["problems"]) == 4


def test_text_format_writes_a_bulletin(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", "--format", "text", str(SAMPLES[4])]) == 0
    out = capsys.readouterr().out
    assert "(1)针对推动媒体深度融合不够有力的问题" in out
    assert "给予党纪政务处分2人，责令检查3人，批评教育11人，谈话提醒2人" in out


def test_several_files_print_a_list_in_order(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(SAMPLES[2]), str(SAMPLES[4])]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [d["feedback_date"] for d in data] == ["2025-02-19", "2025-02-24"]


def _write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.docx", b"", "文件为空"),
        ("broken.docx", b"PK\x03\x04 not really a zip", "已损坏"),
        ("broken.pdf", b"%PDF-1.4\n garbage", "已损坏"),
        ("broken.xlsx", b"\x00\x01\x02", "已损坏"),
        (
            "locked.docx",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptionInfo".encode("utf-16-le"),
            "已加密",
        ),
        ("photo.jpg", b"\xff\xd8\xff\xe0", "不支持的文件类型"),
        ("binary.txt", bytes(range(256)) * 4, "无法识别的文本"),
    ],
)
def test_bad_input_gives_one_chinese_line_and_status_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, data: bytes, message: str
) -> None:
    assert main(["parse", _write(tmp_path, name, data)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert message in captured.err and captured.err.count("\n") == 1


def test_a_file_over_the_size_limit_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, "big.txt", "整改".encode() * 400_000)
    assert main(["parse", "--max-size", "1", path]) == 2
    assert "文件过大" in capsys.readouterr().err


def test_a_missing_file_is_named(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", "/no/such/file.docx"]) == 2
    assert "找不到文件" in capsys.readouterr().err
