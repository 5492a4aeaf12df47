"""Everything `zhenggai audit verify` checks, as one report.

1. The chain: every event's HMAC (or, before the key, SHA-256) and link, no unkeyed
   event after a keyed one, the head in the database at the last event.
2. The anchor file: signed with the key, and the chain reaches it with its hash.
3. The anchors kept apart (``--anchor SEQ:HASH``), the same way.
4. The replay: every recorded row as its events say it is (replay.py).
"""

from dataclasses import dataclass, field

from django.db.models import Max

from zhenggai.audit import anchor, chain, keys, replay
from zhenggai.audit.models import Event


@dataclass
class Report:
    events: int
    head: int  # the last event's number, 0 for none
    passed: list[str] = field(default_factory=list)  # what was checked and held
    findings: list[str] = field(default_factory=list)  # what is wrong

    @property
    def whole(self) -> bool:
        return not self.findings

    def failure(self, shown: int = 50) -> str:
        """The findings as a message: the first ``shown`` listed, the rest counted."""
        found = self.findings
        more = f"\n……另有 {len(found) - shown} 处" if len(found) > shown else ""
        listed = "\n".join(f"- {line}" for line in found[:shown])
        return f"审计日志校验失败（{len(found)} 处问题，共 {self.events} 条记录）：\n{listed}{more}"


def verify(kept: tuple[anchor.Anchor, ...] = ()) -> Report:
    report = Report(Event.objects.count(), Event.objects.aggregate(n=Max("seq"))["n"] or 0)
    key = _chain(report)
    if key is not None:
        _anchor_file(report, key)
    for given in kept:
        wrong = anchor.compare(given, f"所给锚点 {given.line()[:24]}…")
        _note(report, wrong, f"所给锚点（第 {given.seq} 条）相符")
    replayed = replay.replay()
    report.findings.extend(replayed.findings)
    if not replayed.findings:
        report.passed.append(f"与数据库现状核对：{replayed.compared} 个有记录的对象均相符")
    return report


def _chain(report: Report) -> bytes | None:
    """Checks the chain; the key when there is one to check the anchor file with.

    A chain signed with another key than the file's is said once, as such. The anchor
    file is still checked with the file's key: if it holds, the key is the right one
    and the chain was recomputed with another."""
    try:
        broken = chain.verify()
    except keys.KeyProblem as problem:
        report.findings.append(str(problem))
    else:
        _note(report, str(broken) if broken else None, "哈希链完整")
    if not keys.exists():
        return None  # no keyed event either, or chain.verify said so
    try:
        return keys.load()
    except keys.KeyProblem as problem:
        if str(problem) not in report.findings:
            report.findings.append(str(problem))
        return None


def _anchor_file(report: Report, key: bytes) -> None:
    try:
        found = anchor.read(key)
    except anchor.Unreadable as error:
        report.findings.append(str(error))
        return
    if found is None:
        if Event.objects.filter(scheme=chain.HMAC).exists():
            report.findings.append(
                f"锚点文件 {anchor.path()} 缺失：它在每次写入审计记录后更新，"
                "缺失说明它被删除，或恢复时没有放回"
            )
        return
    wrong = anchor.compare(found, f"锚点文件（{anchor.path()}）")
    _note(report, wrong, f"锚点文件相符（第 {found.seq} 条）")


def _note(report: Report, wrong: str | None, held: str) -> None:
    if wrong is None:
        report.passed.append(held)
    else:
        report.findings.append(wrong)
