"""The copy of a .docx that LibreOffice converts: what it is handed, without running it."""

import io
import zipfile

import docx
from docx.oxml.ns import qn

from zhenggai.core.readers.office import as_libreoffice_reads
from zhenggai.core.writers import gbt9704

VAL = qn("w:val")


def _written(switch: str | None = "0") -> bytes:
    """A GB/T 9704 document, its Normal style's ``w:overflowPunct`` set to ``switch``
    (``None``: the bare element, which is on)."""
    out = docx.Document()
    gbt9704.set_up(out)
    gbt9704.paragraph(out, "GBBody", "整改工作取得阶段性成效，")
    element = out.styles["Normal"].element.find(f"{qn('w:pPr')}/{qn('w:overflowPunct')}")
    assert element is not None
    if switch is None:
        del element.attrib[VAL]
    else:
        element.set(VAL, switch)
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def _switches(data: bytes) -> list[str | None]:
    document = docx.Document(io.BytesIO(data))
    normal = document.styles["Normal"].element
    return [s.get(VAL) for s in normal.iter(qn("w:overflowPunct"))]


def test_libreoffice_is_handed_the_hanging_switch_turned_round() -> None:
    # Word reads val="0" as "no punctuation past the margin"; LibreOffice reads "1" so
    written = _written()
    assert _switches(written) == ["0"]
    assert _switches(as_libreoffice_reads(written)) == ["1"]


def test_every_spelling_of_the_switch_is_turned_round() -> None:
    for switch in (None, "1", "true", "on"):
        assert _switches(as_libreoffice_reads(_written(switch))) == ["0"], switch
    for switch in ("false", "off"):
        assert _switches(as_libreoffice_reads(_written(switch))) == ["1"], switch


def test_the_rest_of_the_package_is_kept() -> None:
    written = _written()
    handed = as_libreoffice_reads(written)
    with (
        zipfile.ZipFile(io.BytesIO(written)) as before,
        zipfile.ZipFile(io.BytesIO(handed)) as after,
    ):
        assert before.namelist() == after.namelist()
        for name in before.namelist():
            if name != "word/styles.xml":
                assert before.read(name) == after.read(name), name
    assert docx.Document(io.BytesIO(handed)).paragraphs[-1].text == "整改工作取得阶段性成效，"


def test_a_document_without_the_switch_or_not_a_docx_goes_as_it_came() -> None:
    plain = io.BytesIO()
    docx.Document().save(plain)
    for data in (plain.getvalue(), b"not a zip", b"PK\x03\x04 broken"):
        assert as_libreoffice_reads(data) == data
