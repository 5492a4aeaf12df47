"""Running untrusted work in a child process with limits on time and memory.

An office's template is a program (Jinja), and an uploaded document can be made
to expand without end: neither may hold or grow a web worker. The work runs in
a process forked from a small server started once (multiprocessing's
"forkserver": no fork of a threaded web worker, no start-up cost per call),
under an address-space limit and a CPU-time limit, and the caller waits at
most a wall-clock time. Whatever happens in the child, the caller gets the
result or a ``Bounded`` error saying which limit was hit.
"""

import multiprocessing
import resource
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from zhenggai.core.errors import ParseError

Result = TypeVar("Result")

# Imported once by the fork server, so that each child starts with the readers and
# writers loaded instead of importing them again (about 0.4 s each time).
_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload(["zhenggai.core.readers.source", "zhenggai.core.writers.docx"])


class Bounded(ParseError):
    """The work went past a limit (time or memory) and was stopped."""


@dataclass(frozen=True)
class Limits:
    seconds: float  # wall clock; the CPU limit is the same, rounded up
    memory_bytes: int  # the child's whole address space, interpreter included


def _child(connection: Connection, limits: Limits, work: Callable[..., Any], args: Any) -> None:
    cpu = int(limits.seconds) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    try:
        connection.send(("done", work(*args)))
    except MemoryError:
        connection.send(("memory", None))
    except ParseError as error:  # the work's own refusal, said in Chinese
        connection.send(("refused", str(error)))
    finally:
        connection.close()


def run(work: Callable[..., Result], *args: Any, limits: Limits) -> Result:
    """``work(*args)`` in a bounded child; ``work`` and the values must pickle."""
    ours, theirs = _CONTEXT.Pipe(duplex=False)
    child = _CONTEXT.Process(target=_child, args=(theirs, limits, work, args), daemon=True)
    child.start()
    theirs.close()
    try:
        if not ours.poll(limits.seconds):
            raise Bounded(f"处理超过时间上限（{limits.seconds:g} 秒），已中止")
        try:
            outcome, value = ours.recv()
        except EOFError:  # killed by the CPU limit, or by the kernel for memory
            raise Bounded(_killed(child, limits)) from None
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        ours.close()
    if outcome == "memory":
        raise Bounded(f"处理所需内存超过上限（{limits.memory_bytes // 1048576} MB），已中止")
    if outcome == "refused":
        raise ParseError(value)
    result: Result = value
    return result


def _killed(child: Any, limits: Limits) -> str:
    child.join(1)
    if child.exitcode is not None and child.exitcode < 0:
        return f"处理超过时间或内存上限（{limits.seconds:g} 秒，{limits.memory_bytes // 1048576} MB），已中止"
    return "处理意外中止"
