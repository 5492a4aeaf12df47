"""Faults of the machine are told plainly, in the person's language, and leave
nothing half-saved: a full disk, a database busy too long, a lost connection."""

import errno
from typing import Any

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client

from tests.app.conftest import Cast
from tests.app.measure_support import PDF, TODAY, everything, person, upload, url
from zhenggai.orgs.models import Role
from zhenggai.services import ledger as services
from zhenggai.web import home

pytestmark = pytest.mark.django_db


def _client(cast: Cast) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(cast.a.users[Role.RECTIFICATION_OFFICE])
    return client


def _failing(error: Exception) -> Any:
    def fail(*_args: Any, **_kwargs: Any) -> Any:
        raise error

    return fail


@pytest.mark.parametrize(
    ("error", "said"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), "服务器磁盘空间已满，本次操作没有保存"),
        (OperationalError("database is locked"), "数据库正忙，本次操作没有保存"),
        (InterfaceError("connection already closed"), "暂时无法连接数据库"),
    ],
)
def test_a_fault_of_the_machine_is_told_in_chinese(
    cast: Cast, monkeypatch: pytest.MonkeyPatch, error: Exception, said: str
) -> None:
    monkeypatch.setattr(home, "render", _failing(error))
    response = _client(cast).get("/")
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert said in response.content.decode()


def test_any_other_error_gets_the_plain_chinese_server_error_page(
    cast: Cast, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    settings.DEBUG = False
    monkeypatch.setattr(home, "render", _failing(RuntimeError("boom")))
    response = _client(cast).get("/")
    assert response.status_code == 500
    assert "处理您的请求时服务器出错，本次操作没有保存" in response.content.decode()


def test_a_full_disk_while_evidence_is_kept_saves_nothing(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "_store", _failing(OSError(errno.ENOSPC, "disk full")))
    before = everything()
    client = Client(raise_request_exception=False)
    client.force_login(person(cast))
    response = client.post(
        url(cast.a.measure),
        {
            "form": "progress",
            "progress-text": "已召开专题会",
            "progress-date": TODAY.isoformat(),
            "progress-files": [upload("会议记录.pdf", PDF)],
        },
    )
    assert response.status_code == 503
    assert "磁盘空间已满" in response.content.decode()
    assert everything() == before  # the progress entry went with the file that failed
