# The part of docxtpl (which ships no type information) that the project uses:
# src/zhenggai/core/writers/templating.py. Signatures as in docxtpl/template.py.
from os import PathLike
from typing import IO, Any

from jinja2 import Environment

class DocxTemplate:
    def __init__(self, template_file: IO[bytes] | str | PathLike[str]) -> None: ...
    def init_docx(self, reload: bool = True) -> None: ...
    def render(
        self,
        context: dict[str, Any],
        jinja_env: Environment | None = None,
        autoescape: bool = False,
    ) -> None: ...
    def save(
        self, filename: IO[bytes] | str | PathLike[str], *args: Any, **kwargs: Any
    ) -> None: ...
