"""The code keeps a readable shape: no module of src/, tests/ or scripts/ over
600 lines, no function or method over 60 (migrations, which Django writes, aside)."""

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = ("src", "tests", "scripts")
SKIPPED = {"migrations", "__pycache__"}
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 60


def _modules() -> Iterator[Path]:
    for folder in FOLDERS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if not SKIPPED.intersection(path.relative_to(ROOT).parts):
                yield path


def _too_long(path: Path) -> Iterator[str]:
    source = path.read_text("utf-8")
    name = path.relative_to(ROOT).as_posix()
    lines = len(source.splitlines())
    if lines > MAX_MODULE_LINES:
        yield f"{name}: {lines} lines (at most {MAX_MODULE_LINES})"
    for node in ast.walk(ast.parse(source, filename=name)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            if length > MAX_FUNCTION_LINES:
                yield (
                    f"{name}:{node.lineno} {node.name}: {length} lines"
                    f" (at most {MAX_FUNCTION_LINES})"
                )


def test_no_module_or_function_is_too_long() -> None:
    found = [problem for path in _modules() for problem in _too_long(path)]
    assert not found, "\n".join(found)


def test_it_walks_the_code() -> None:
    names = {path.relative_to(ROOT).as_posix() for path in _modules()}
    assert "tests/test_code_shape.py" in names
    assert not any("/migrations/" in name for name in names)
