"""The inbox page: one's own messages only, newest first, unread marked, marked read
one at a time or all at once, in a fixed number of queries."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from tests.app.conftest import Cast
from zhenggai.inbox.models import Kind, Message
from zhenggai.orgs.models import Role

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _message(user: User, text: str, minutes_ago: int = 0, read: bool = False) -> Message:
    at = timezone.now() - dt.timedelta(minutes=minutes_ago)
    return Message.objects.create(
        recipient=user,
        kind=Kind.OVERDUE,
        text=text,
        link="/measures/1/",
        created=at,
        read_at=at if read else None,
    )


def test_it_shows_only_ones_own_messages_newest_first_with_unread_marked(cast: Cast) -> None:
    me = cast.a.users[Role.RESPONSIBLE_PERSON]
    _message(me, "较早的提醒", minutes_ago=60, read=True)
    _message(me, "最新的提醒", minutes_ago=1)
    _message(cast.b.users[Role.RESPONSIBLE_PERSON], "别人的提醒")
    response = _client(me).get("/inbox/")
    body = response.content.decode()
    assert response.status_code == 200
    assert body.index("最新的提醒") < body.index("较早的提醒")
    assert "别人的提醒" not in body
    assert "共 2 条，未读 1 条" in body
    newest = body[body.index('<tr class="unread">') :]
    assert 'class="mark red">未读' in newest[: newest.index("最新的提醒")]
    assert 'href="/measures/1/"' in body
    assert "全部标为已读" in body


def test_marking_one_read_touches_only_that_message(cast: Cast) -> None:
    me = cast.a.users[Role.RESPONSIBLE_PERSON]
    mine, other = _message(me, "一"), _message(me, "二")
    response = _client(me).post("/inbox/", {"action": "read", "message": mine.pk}, follow=True)
    assert response.redirect_chain == [("/inbox/", 302)]
    assert "已标为已读" in response.content.decode()
    mine.refresh_from_db()
    other.refresh_from_db()
    assert mine.read_at is not None and other.read_at is None


def test_someone_elses_message_is_not_found_and_stays_unread(cast: Cast) -> None:
    theirs = _message(cast.b.users[Role.RESPONSIBLE_PERSON], "别人的提醒")
    client = _client(cast.a.users[Role.RESPONSIBLE_PERSON])
    response = client.post("/inbox/", {"action": "read", "message": theirs.pk})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_marking_all_read_marks_only_ones_own(cast: Cast) -> None:
    me = cast.a.users[Role.RESPONSIBLE_PERSON]
    for n in range(3):
        _message(me, f"提醒{n}")
    theirs = _message(cast.outsider, "别人的提醒")
    response = _client(me).post("/inbox/", {"action": "read_all"}, follow=True)
    assert "已将 3 条消息标为已读" in response.content.decode()
    assert not Message.objects.filter(recipient=me, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert "共 3 条，未读 0 条" in response.content.decode()


def test_a_message_is_shown_as_text(cast: Cast) -> None:
    me = cast.a.users[Role.RESPONSIBLE_PERSON]
    _message(me, '<script>alert(1)</script>"><img src=x onerror=alert(2)>')
    body = _client(me).get("/inbox/").content.decode()
    assert "<script>alert(1)" not in body and "<img src=x" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_anonymous_is_sent_to_sign_in(cast: Cast) -> None:
    response = Client().get("/inbox/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_page_costs_the_same_queries_for_few_or_many_messages(
    cast: Cast, django_assert_num_queries: Callable[..., Any]
) -> None:
    me = cast.a.users[Role.RESPONSIBLE_PERSON]
    client = _client(me)
    _message(me, "一条")
    # Session, user, counts, page.
    with django_assert_num_queries(6):  # and the frame: unread count, the user's roles
        client.get("/inbox/")
    for n in range(80):
        _message(me, f"提醒{n}", minutes_ago=n)
    with django_assert_num_queries(6):  # and the frame: unread count, the user's roles
        body = client.get("/inbox/").content.decode()
    assert body.count("标为已读<span") == 50  # a page
    second = client.get("/inbox/?page=2").content.decode()
    assert "第 2 / 2 页" in second and second.count("标为已读<span") == 31


def test_every_page_shows_ones_own_unread_count_beside_messages(cast: Cast) -> None:
    me, other = cast.a.users[Role.RESPONSIBLE_PERSON], cast.a.users[Role.RESPONSIBLE_LEADER]
    _message(me, "一", read=True)
    _message(me, "二")
    _message(me, "三")
    _message(other, "别人的")
    badge = '<span class="count" aria-label="2 条未读">2</span>'
    assert badge in _client(me).get("/").content.decode()
    assert 'class="count"' not in _client(cast.outsider).get("/").content.decode()
    Message.objects.filter(recipient=me).update(read_at=timezone.now())
    assert 'class="count"' not in _client(me).get("/").content.decode()
