"""The GB/T 9704 font names resolve to free faces of their kind for LibreOffice's PDF.

Fandol, Liberation Serif, LibreOffice, fontconfig's fc-match and poppler's
pdffonts are installed by `make test` (scripts/bootstrap.sh).
"""

import io
import subprocess
from pathlib import Path

import docx
import pytest
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTChar, LTTextContainer, LTTextLine

from zhenggai.core.fonts import SYSTEM_CONFIG, fandol_dir, fontconfig_env, wrapper_config
from zhenggai.core.readers import office, parse_file
from zhenggai.core.writers import gbt9704
from zhenggai.core.writers.docx import write_bulletin_docx

SEED = Path(__file__).parents[1] / "samples" / "004_3e95463d206eb501.txt"


def _fandol() -> Path:
    found = fandol_dir()
    assert found, "the tests need Fandol; `make test` (scripts/bootstrap.sh) installs it"
    return found


def _match(name: str, env: dict[str, str]) -> str:
    """fc-match's choice for ``name``: "family style", the family's first name only."""
    result = subprocess.run(
        ["fc-match", "--format", "%{family[0]} %{style[0]}", name],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def _config(tmp_path: Path, fonts: Path, base: str | None = None) -> dict[str, str]:
    """The project's rules over ``fonts`` alone, none of the system's fonts."""
    config = tmp_path / "fonts.conf"
    config.write_text(wrapper_config(base=base, font_dirs=[fonts], cache_dir=tmp_path / "cache"))
    return {"FONTCONFIG_FILE": str(config)}


def _fonts_dir(tmp_path: Path, kinds: list[str]) -> Path:
    """A font directory with only these Fandol faces (Fang, Hei, Kai, Song)."""
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    for kind in kinds:
        for otf in _fandol().glob(f"Fandol{kind}-*.otf"):
            (fonts / otf.name).symlink_to(otf)
    return fonts


@pytest.mark.parametrize(
    ("name", "face"),
    [
        ("仿宋_GB2312", "FandolFang Regular"),
        ("仿宋", "FandolFang Regular"),
        ("FangSong", "FandolFang Regular"),
        ("方正仿宋_GBK", "FandolFang Regular"),
        ("黑体", "FandolHei Regular"),  # not Bold: the scan rule fixes Fandol's weights
        ("SimHei", "FandolHei Regular"),
        ("方正黑体_GBK", "FandolHei Regular"),
        ("楷体_GB2312", "FandolKai Regular"),
        ("楷体", "FandolKai Regular"),
        ("KaiTi", "FandolKai Regular"),
        ("宋体", "FandolSong Regular"),
        ("SimSun", "FandolSong Regular"),
        ("方正小标宋简体", "FandolSong Bold"),
        ("方正小标宋_GBK", "FandolSong Bold"),
        ("小标宋", "FandolSong Bold"),
        ("Times New Roman", "Liberation Serif Regular"),
    ],
)
def test_each_gbt_name_resolves_to_its_free_face(name: str, face: str, tmp_path: Path) -> None:
    _fandol()
    assert _match(name, fontconfig_env(tmp_path)) == face


def test_the_system_configuration_is_left_as_it_was(tmp_path: Path) -> None:
    env = fontconfig_env(tmp_path)
    del env["FONTCONFIG_FILE"]
    assert not _match("仿宋_GB2312", env).startswith("Fandol")


@pytest.mark.parametrize(
    ("name", "present", "face"),
    [
        ("仿宋_GB2312", ["Song", "Hei", "Kai"], "FandolSong Regular"),  # 仿宋 → a song face
        ("仿宋_GB2312", ["Hei", "Kai"], "FandolHei Regular"),  # then a hei face, not 楷
        ("楷体_GB2312", ["Song", "Hei", "Fang"], "FandolSong Regular"),
        ("宋体", ["Hei", "Kai", "Fang"], "FandolHei Regular"),
        ("方正小标宋简体", ["Hei", "Kai", "Fang"], "FandolHei Regular"),
    ],
)
def test_a_name_whose_face_is_missing_falls_back_within_its_list(
    name: str, present: list[str], face: str, tmp_path: Path
) -> None:
    assert _match(name, _config(tmp_path, _fonts_dir(tmp_path, present))) == face


def test_an_installed_real_font_comes_before_its_stand_in(tmp_path: Path) -> None:
    """An office that has 仿宋_GB2312 gets it: FandolKai plays the real font here."""
    fonts = _fonts_dir(tmp_path, ["Fang", "Kai"])
    rename = tmp_path / "real.conf"
    rename.write_text(
        '<?xml version="1.0"?>\n<fontconfig><match target="scan">'
        '<test name="family"><string>FandolKai</string></test>'
        '<edit name="family" mode="assign_replace"><string>仿宋_GB2312</string></edit>'
        "</match></fontconfig>\n"
    )
    assert (
        _match("仿宋_GB2312", _config(tmp_path, fonts, base=str(rename))) == "仿宋_GB2312 Regular"
    )


@pytest.mark.parametrize(
    ("inherited", "base"),
    [("", SYSTEM_CONFIG), ("/srv/office/fonts.conf", "/srv/office/fonts.conf")],
)
def test_the_wrapper_includes_the_configuration_in_force(
    inherited: str, base: str, tmp_path: Path
) -> None:
    environ = {"PATH": "/usr/bin"} | ({"FONTCONFIG_FILE": inherited} if inherited else {})
    env = fontconfig_env(tmp_path, environ)
    written = Path(env["FONTCONFIG_FILE"]).read_text("utf-8")
    assert f"<include>{base}</include>" in written
    assert env["PATH"] == "/usr/bin"
    assert environ.get("FONTCONFIG_FILE", "") == inherited  # the caller's mapping untouched


# --- the bulletin through LibreOffice: one conversion for the module ---------


KAI_LINE, SONG_LINE = "（二）强化日常监督", "宋体核对一行"


@pytest.fixture(scope="module")
def bulletin_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    _fandol()
    out = docx.Document(io.BytesIO(write_bulletin_docx(parse_file(SEED))))
    # The bulletin's template has no level-2 heading and no Chinese in 宋体 (its
    # page numbers are digits and dashes): one line of each, so every name is drawn.
    gbt9704.paragraph(out, "GBHeading2", KAI_LINE)
    song = out.add_paragraph().add_run(SONG_LINE)._r.get_or_add_rPr()
    gbt9704.set_fonts(song, gbt9704.PAGE_FONT, gbt9704.BODY_PT)
    written = io.BytesIO()
    out.save(written)
    pdf = tmp_path_factory.mktemp("bulletin") / "通报.pdf"
    pdf.write_bytes(office.convert(written.getvalue(), ".docx", "pdf"))
    return pdf


def _pdffonts(pdf: Path) -> dict[str, bool]:
    """Each font's name (subset tag dropped) and whether it is embedded."""
    lines = subprocess.run(
        ["pdffonts", str(pdf)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    # name, type (one or two words), encoding, emb, sub, uni, object, generation
    return {line.split()[0].split("+")[-1]: line.split()[-5] == "yes" for line in lines}


def test_the_pdf_embeds_the_mapped_faces_and_no_other_chinese_one(bulletin_pdf: Path) -> None:
    fonts = _pdffonts(bulletin_pdf)
    mapped = {f"Fandol{face}" for face in ("Song-Bold", "Fang-Regular", "Hei-Regular")}
    mapped |= {"FandolKai-Regular", "FandolSong-Regular"}
    assert mapped <= fonts.keys()
    assert all(fonts.values()), fonts
    # Latin and digits in Times New Roman's metric twin, nothing else
    assert fonts.keys() - mapped <= {"LiberationSerif", "LiberationSerif-Bold"}, fonts


@pytest.fixture(scope="module")
def bulletin_lines(bulletin_pdf: Path) -> list[tuple[str, set[str]]]:
    """Each text line, with the fonts of its Chinese characters (pdfminer takes seconds)."""
    lines = []
    for page in extract_pages(str(bulletin_pdf)):
        boxes = [box for box in page if isinstance(box, LTTextContainer)]
        for line in (line for box in boxes for line in box if isinstance(line, LTTextLine)):
            hanzi = [
                c for c in line if isinstance(c, LTChar) and "\u4e00" <= c.get_text() <= "\u9fff"
            ]
            lines.append((line.get_text().strip(), {c.fontname.split("+")[-1] for c in hanzi}))
    return lines


@pytest.mark.parametrize(
    ("starts", "font"),
    [
        ("晋江市融媒体中心", "FandolSong-Bold"),  # the title, 方正小标宋简体, on two lines
        ("一、", "FandolHei-Regular"),  # 黑体
        (KAI_LINE, "FandolKai-Regular"),  # 楷体_GB2312
        ("根据统一部署", "FandolFang-Regular"),  # body, 仿宋_GB2312
        (SONG_LINE, "FandolSong-Regular"),  # 宋体
    ],
)
def test_each_part_of_the_bulletin_is_set_in_its_face(
    bulletin_lines: list[tuple[str, set[str]]], starts: str, font: str
) -> None:
    line_fonts = [fonts for text, fonts in bulletin_lines if text.startswith(starts)]
    assert line_fonts, f"no line starts with {starts}"
    assert line_fonts[0] == {font}
