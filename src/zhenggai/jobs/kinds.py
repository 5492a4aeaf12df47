"""The kinds of job, named in one place: settings.JOBS_KINDS maps each kind to its
``Kind`` by dotted path, so that a worker finds the work from the job's row alone
and the apps above this one bring their own work without this app importing them.

Adding a kind: a ``Kind`` beside the page that starts it, one line in
settings.JOBS_KINDS, and ``job_start(kind=..., arguments=...)`` on that page.
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.functional import Promise
from django.utils.module_loading import import_string

from zhenggai.jobs.models import Job

# progress(done, total, stage): how far the work is, and what it is doing now.
Progress = Callable[[int, int, str], None]
# The work: it reads what it needs from the job (its owner, arguments, attachment),
# reports through ``progress`` between its transactions, and returns the result.
Work = Callable[[Job, Progress], dict[str, Any]]


@dataclass(frozen=True)
class Kind:
    label: str | Promise  # the job page's title
    work: Work
    # Whether a run cut short (its worker killed) may be run again from its start:
    # so for work that writes nothing but its own result, or all of it in one
    # transaction. Otherwise the job fails, saying the run was interrupted.
    rerun: bool


def kind_of(name: str) -> Kind:
    """The kind registered under ``name``; KeyError for one that is not."""
    return _load(settings.JOBS_KINDS[name])


@functools.cache
def _load(path: str) -> Kind:
    kind = import_string(path)
    if not isinstance(kind, Kind):
        raise TypeError(f"{path} is not a zhenggai.jobs.kinds.Kind")
    return kind


def label(name: str) -> str | Promise:
    """What the job page calls a job of this kind (the kind itself when unknown)."""
    path = settings.JOBS_KINDS.get(name)
    return _load(path).label if path else name
