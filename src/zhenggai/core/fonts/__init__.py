"""Free faces for the GB/T 9704 font names, for LibreOffice's PDF only.

gbt9704.conf (beside this file) maps 仿宋_GB2312, 黑体, 楷体_GB2312, 宋体,
方正小标宋简体 and their common spellings to Fandol and other free faces from
Debian. ``fontconfig_env`` hands it to one subprocess through a wrapper
configuration: the system's own configuration is included, never changed.

Fandol's Bold faces declare weight 400, fixed by scan rules in gbt9704.conf.
Such rules act only when a directory is scanned, and fontconfig reuses a
directory's cache whichever configuration wrote it (measured). Hence:

1. Fandol lives outside the system's font directories (scripts/bootstrap.sh
   puts it in FANDOL_DIRS[0]), so that the system never lists it unfixed;
2. the wrapper lists it with a ``salt`` made from gbt9704.conf, which gives it a
   cache of its own per version of the rules: an edited rule takes effect at
   once, and TeX Live's copy, which a system may scan too, is rescanned here.
"""

import hashlib
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from xml.sax.saxutils import escape

PROJECT_CONFIG = Path(__file__).with_name("gbt9704.conf")
SYSTEM_CONFIG = "/etc/fonts/fonts.conf"

# The first that holds FandolFang is used: the project's own copy, else TeX
# Live's (texlive-lang-chinese), which has the same files. Only one, so that no
# face is listed twice.
FANDOL_DIRS = (
    Path("/usr/local/share/zhenggai/fonts/fandol"),
    Path("/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol"),
)


def fandol_dir() -> Path | None:
    return next((d for d in FANDOL_DIRS if (d / "FandolFang-Regular.otf").is_file()), None)


def wrapper_config(
    *, base: str | None, font_dirs: Iterable[Path], cache_dir: Path | None = None
) -> str:
    """A fontconfig file: the project's rules, then ``base`` (the system's), then the dirs.

    The project's rules come first so that they see the names a document asks
    for, not the generic lists (serif, sans-serif) the system's rules add.
    """
    lines = [
        '<?xml version="1.0"?>',
        '<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">',
        "<fontconfig>",
        f"  <include>{escape(str(PROJECT_CONFIG))}</include>",
    ]
    if base is not None:
        lines.append(f"  <include>{escape(base)}</include>")
    salt = hashlib.sha256(PROJECT_CONFIG.read_bytes()).hexdigest()[:16]
    lines += [f'  <dir salt="{salt}">{escape(str(d))}</dir>' for d in font_dirs]
    if cache_dir is not None:
        lines.append(f"  <cachedir>{escape(str(cache_dir))}</cachedir>")
    lines.append("</fontconfig>")
    return "\n".join(lines) + "\n"


def fontconfig_env(workdir: Path, environ: Mapping[str, str] = os.environ) -> dict[str, str]:
    """``environ`` with FONTCONFIG_FILE set to a wrapper written into ``workdir``.

    A FONTCONFIG_FILE already set (an absolute path) is included in place of
    the system's file, so a server's own font setup still holds.
    """
    inherited = environ.get("FONTCONFIG_FILE", "")
    base = inherited if os.path.isabs(inherited) else SYSTEM_CONFIG
    fandol = fandol_dir()
    config = workdir / "fonts.conf"
    config.write_text(
        wrapper_config(base=base, font_dirs=[fandol] if fandol else []), encoding="utf-8"
    )
    return {**environ, "FONTCONFIG_FILE": str(config)}
