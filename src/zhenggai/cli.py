"""The ``zhenggai`` command."""

import argparse
import json
import sys
from collections.abc import Sequence

from zhenggai.core.errors import ParseError
from zhenggai.core.readers import MAX_BYTES, parse_file
from zhenggai.core.writers.text import write_text

EXIT_BAD_INPUT = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="zhenggai", description="巡察整改：读取整改文书，生成台账"
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="命令")
    parse = commands.add_parser(
        "parse", help="读取一份整改文书（.docx/.txt/.pdf/.xlsx/.doc/.wps），输出台账"
    )
    parse.add_argument("files", nargs="+", metavar="FILE", help="要读取的文件")
    parse.add_argument("--format", choices=("json", "text"), default="json", help="输出格式")
    parse.add_argument(
        "--max-size",
        type=float,
        default=MAX_BYTES / 1048576,
        metavar="MB",
        help="文件大小上限（MB），默认 %(default).0f",
    )
    return parser


def _parse(args: argparse.Namespace) -> int:
    """One file prints one JSON object; several print a JSON list, in their order."""
    documents = []
    for path in args.files:
        try:
            documents.append(parse_file(path, max_bytes=int(args.max_size * 1048576)))
        except ParseError as error:
            print(f"错误：{path}：{error}", file=sys.stderr)
            return EXIT_BAD_INPUT
    if args.format == "text":
        print("\n".join(write_text(document) for document in documents), end="")
        return 0
    data = [document.to_dict() for document in documents]
    print(json.dumps(data[0] if len(data) == 1 else data, ensure_ascii=False, indent=2))
    return 0


def _django(argv: list[str]) -> int:
    """Every other command is a Django management command against the configured database,
    so an operator never needs a separate manage.py."""
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhenggai.settings")
    import django
    from django.core.management import execute_from_command_line

    django.setup()
    execute_from_command_line(["zhenggai", *argv])
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] != ["parse"]:
        return _django(arguments)
    args = _parser().parse_args(arguments)
    return _parse(args)
