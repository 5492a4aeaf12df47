"""An office's template cannot hold or grow the process that writes a document: it
runs in a bounded child, and each limit it hits is told in Chinese. The limits are
set small here, so each test waits on the limit it checks, not on a margin."""

import io
import resource
import time

import docx
import pytest

from zhenggai.core import bounded
from zhenggai.core.errors import ParseError
from zhenggai.core.writers import templating
from zhenggai.core.writers.context import SAMPLE, SAMPLE_EXTRAS
from zhenggai.core.writers.docx import write_docx
from zhenggai.core.writers.templating import default_template

SMALL = bounded.Limits(seconds=2, memory_bytes=512 * 1024 * 1024)


@pytest.fixture(autouse=True)
def small_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(templating, "UNTRUSTED", SMALL)


def _office_template(text: str) -> bytes:
    template = docx.Document(io.BytesIO(default_template("bulletin")))
    template.add_paragraph(text)
    buffer = io.BytesIO()
    template.save(buffer)
    return buffer.getvalue()


def _write(text: str) -> bytes:
    return write_docx("bulletin", SAMPLE, template=_office_template(text), extras=SAMPLE_EXTRAS)


def test_a_loop_without_end_is_stopped_at_the_time_limit() -> None:
    loops = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    started = time.monotonic()
    with pytest.raises(ParseError, match="时间上限（2 秒）"):
        _write(loops)
    # stopped by the limit, not left to run: the wait is the limit's, give or take start-up
    assert time.monotonic() - started < SMALL.seconds * 2


def test_a_huge_repetition_is_refused_before_it_is_made() -> None:
    with pytest.raises(ParseError, match="重复运算结果过大"):
        _write("{{ 'x' * 200000000 }}")


def test_a_value_that_grows_without_end_is_stopped_at_the_memory_limit() -> None:
    grow = "{% set x = ['a'] %}{% for i in range(100000) %}{% set _ = x.extend(x) %}{% endfor %}"
    with pytest.raises(ParseError, match="上限"):
        _write(grow)


def test_the_writing_process_does_not_grow_with_a_hostile_template() -> None:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(ParseError):
        _write(
            "{% set x = ['a'] %}{% for i in range(100000) %}{% set _ = x.extend(x) %}{% endfor %}"
        )
    grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown_kib < 50 * 1024, f"the writer grew by {grown_kib} KiB"


@pytest.mark.parametrize(
    "text", ["{{ 1 / 0 }}", "{{ [1][5] }}", "{{ 'a' + 1 }}", "{{ 2 ** 100000 }}"]
)
def test_an_error_of_python_in_the_template_is_the_template_s_fault(text: str) -> None:
    with pytest.raises(ParseError, match="模板"):
        _write(text)


def test_a_sound_office_template_is_written_as_before() -> None:
    assert _write("本单位自定义的一段话").startswith(b"PK")
