"""`zhenggai worker`: the job worker. It first takes over the jobs a stopped worker
left (zhenggai/jobs/recovery.py), then runs the queue's cluster (django-q2's, as
settings.Q_CLUSTER says) until it is stopped. Run one per database; scripts/run.sh
starts it beside gunicorn.

SIGTERM or Ctrl-C to this process lets the running jobs finish; SIGTERM to its whole
process group (a test's or systemd's stop) ends them at once, and the next start
runs them again or fails them with their reason.
"""

import signal
import threading
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from zhenggai.jobs.recovery import recover


class Command(BaseCommand):
    help = "运行后台任务（导入、导出）：先接续或判定上次中断的任务，再按队列执行"

    def handle(self, *args: Any, **options: Any) -> None:
        found = recover()
        self.stdout.write(
            f"jobs: {len(found.handed_out)} handed out again, {len(found.failed)} failed "
            f"(their task was gone); {settings.JOBS_WORKERS} at once, "
            f"at most {settings.JOBS_TIMEOUT} s each",
        )
        self.stdout.flush()
        serve()


def serve() -> None:
    """The cluster, until its sentinel process (which runs the workers) ends.

    `qcluster` leaves the waiting to the interpreter's exit, and its signal handler
    sets the stop event, whose notification blocks for good when the sentinel died
    of the same signal (a SIGTERM to the whole group). Here the event is set from a
    thread of its own, and this process ends when the sentinel does, however it
    ended."""
    from django_q.cluster import Cluster  # it sets Django up on import: not before

    cluster = Cluster()

    def stop(signum: int, frame: FrameType | None) -> None:
        if cluster.stop_event is not None:
            threading.Thread(target=cluster.stop_event.set, name="stop", daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    cluster.start()
    while cluster.sentinel.is_alive():
        cluster.sentinel.join(timeout=1)
