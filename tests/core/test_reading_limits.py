"""Reading an upload cannot hold or grow the process that asked: it runs in a
bounded child, and a document made to take minutes or to expand without end is
refused, naming the limit. The limits are set small here, so each test waits on
the limit it checks, not on a margin."""

import io
import resource
import threading
import time
import zipfile
import zlib

import pytest

from zhenggai.core import bounded
from zhenggai.core.errors import ParseError
from zhenggai.core.readers import source

SMALL = bounded.Limits(seconds=3, memory_bytes=512 * 1024 * 1024)
MAX_BYTES = 20 * 1024 * 1024


def _read(data: bytes, name: str) -> object:
    """Read in a bounded child; what a refusal says is the point of these tests."""
    suffix = name[name.rindex(".") :]
    return bounded.run(source.read_with_lines, data, name, suffix, MAX_BYTES, limits=SMALL)


def _pdf(stream: bytes, filters: str = "") -> bytes:
    """A one-page PDF whose page content is ``stream`` (already encoded by ``filters``)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d %s>>\nstream\n" % (len(stream), filters.encode()) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def _inflating(size: int) -> bytes:
    """``size`` bytes of spaces, deflated: a few hundred KB that inflate to ``size``."""
    packer = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    body = b"".join(packer.compress(chunk) for _ in range(size // len(chunk)))
    return body + packer.flush()


def test_a_pdf_of_endless_text_operators_is_stopped_at_the_time_limit() -> None:
    operators = b"BT /F1 12 Tf 72 700 Td (x) Tj ET\n" * 200_000
    data = _pdf(zlib.compress(operators), "/Filter /FlateDecode ")
    with pytest.raises(ParseError, match="上限"):
        _read(data, "反馈意见.pdf")


def test_a_pdf_that_inflates_to_a_gibibyte_is_stopped_at_a_limit() -> None:
    data = _pdf(_inflating(1 << 30), "/Filter /FlateDecode ")
    assert len(data) < 2 * 1024 * 1024
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # refused, by the memory limit or by the reader when an allocation fails there
    with pytest.raises(ParseError, match=r"上限|无法读取"):
        _read(data, "反馈意见.pdf")
    grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown_kib < 100 * 1024, f"the asking process grew by {grown_kib} KiB"


def test_an_xlsx_of_endless_cells_is_stopped_at_a_limit() -> None:
    rows = "".join(
        f'<row r="{r}">'
        + "".join(f'<c t="inlineStr"><is><t>问题{r}</t></is></c>' for _ in range(20))
        + "</row>"
        for r in range(1, 60_001)
    )
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        f'spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>'
    )
    data = _xlsx(sheet)
    with pytest.raises(ParseError):
        _read(data, "台账.xlsx")


def _xlsx(sheet: str) -> bytes:
    main = "http://schemas.openxmlformats.org"
    parts = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="'
        + main
        + '/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        "</Types>",
        "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="'
        + main
        + '/package/2006/relationships">'
        '<Relationship Id="rId1" Type="'
        + main
        + '/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>",
        "xl/workbook.xml": '<?xml version="1.0"?><workbook xmlns="'
        + main
        + '/spreadsheetml/2006/main" '
        'xmlns:r="'
        + main
        + '/officeDocument/2006/relationships"><sheets><sheet name="台账" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns="'
        + main
        + '/package/2006/relationships">'
        '<Relationship Id="rId1" Type="'
        + main
        + '/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        "</Relationships>",
        "xl/worksheets/sheet1.xml": sheet,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, text in parts.items():
            package.writestr(name, text)
    return buffer.getvalue()


def test_a_text_that_takes_too_long_is_stopped_at_the_time_limit() -> None:
    line = "一、" + "巡察发现的问题。" * 40 + "\n"
    data = (line * (19 * 1024 * 1024 // len(line.encode()))).encode()
    with pytest.raises(ParseError, match="上限"):
        _read(data, "反馈意见.txt")


def test_the_asking_process_stays_responsive_while_a_hostile_document_is_read() -> None:
    operators = b"BT /F1 12 Tf 72 700 Td (x) Tj ET\n" * 200_000
    data = _pdf(zlib.compress(operators), "/Filter /FlateDecode ")
    refused: list[str] = []

    def read_it() -> None:
        try:
            _read(data, "a.pdf")
        except ParseError as error:
            refused.append(str(error))

    spent_before = time.process_time()
    reading = threading.Thread(target=read_it)
    reading.start()
    time.sleep(0.5)  # the child is reading now
    sum(range(2_000_000))  # other work of the asking process goes on meanwhile
    assert reading.is_alive()
    reading.join()
    assert refused and "上限" in refused[0]
    # The reading burnt its CPU seconds (up to the 3 s limit) in the child, not here.
    assert time.process_time() - spent_before < 1.0


def test_a_sound_document_is_read_with_its_lines() -> None:
    data = "一、巡察发现的问题\n（一）学习不深入\n".encode()
    document, lines = bounded.run(
        source.read_with_lines, data, "反馈意见.txt", ".txt", MAX_BYTES, limits=SMALL
    )
    assert document.categories and [line.text for line in lines][:1] == ["一、巡察发现的问题"]
