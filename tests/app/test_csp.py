"""Every page carries the Content-Security-Policy of settings.CONTENT_SECURITY_POLICY:
its own files only, no inline script, style or handler, no other host, never framed.
The browser tests run every page under it (their watch fails on the console error a
violation logs); here the header itself, and templates that would need an exception.
An evidence file keeps its own "sandbox" policy (test_web_measure_evidence.py).
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from tests.app.conftest import Cast
from zhenggai.core.readers import office
from zhenggai.orgs.models import Role
from zhenggai.publications import services

pytestmark = pytest.mark.django_db

SOURCE = Path(settings.LOCALE_PATHS[0]).parent  # src/zhenggai


def _policy(user: User | None, path: str) -> dict[str, list[str]]:
    client = Client()
    if user is not None:
        client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200, path
    header = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


def _public_address(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(office, "soffice", lambda: None)  # the PDF is not the point here
    actor = cast.a.users[Role.RECTIFICATION_OFFICE]
    published = services.publish(actor=actor, inspection_id=cast.a.inspection.pk)
    return reverse("public:latest", args=[published.slug])


def test_the_home_sign_in_plan_and_public_pages_carry_the_policy(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    office_user = cast.a.users[Role.RECTIFICATION_OFFICE]
    pages = {
        "home": (office_user, reverse("web:home")),
        "sign-in": (None, reverse("web:login")),
        "plan": (office_user, reverse("web:plan", args=[cast.a.inspection.pk])),
        "public bulletin": (None, _public_address(cast, monkeypatch)),
    }
    for name, (user, path) in pages.items():
        policy = _policy(user, path)
        assert policy["default-src"] == ["'self'"], name
        assert policy["script-src"] == ["'self'"], name
        assert policy["style-src"] == ["'self'"], name
        assert policy["frame-ancestors"] == ["'none'"], name
        assert policy["object-src"] == ["'none'"], name
        everything = [value for values in policy.values() for value in values]
        assert "'unsafe-inline'" not in everything and "'unsafe-eval'" not in everything
        assert not any(re.match(r"https?:|\*", value) for value in everything), name


# What a policy without 'unsafe-inline' refuses: <script> with a body, on…= handlers,
# style attributes and <style> elements, javascript: links.
INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)[^>]*>|<script[^>]*type=\"(?!application/json)"
    r"|\son[a-z]+\s*=|\sstyle\s*=|<style\b|javascript:|\shx-on",
    re.IGNORECASE,
)


def test_no_template_has_inline_script_handlers_or_styles() -> None:
    templates = sorted(SOURCE.glob("*/templates/**/*.html"))
    assert any(t.name == "base.html" for t in templates)

    found = [
        f"{t.relative_to(SOURCE)}: {m.group(0)}"
        for t in templates
        for m in INLINE.finditer(t.read_text("utf-8"))
    ]

    assert not found, "\n".join(found)


def test_htmx_injects_no_indicator_style() -> None:
    page = Client().get(reverse("web:login")).content.decode()
    assert """<meta name="htmx-config" content='{"includeIndicatorStyles": false}'>""" in page
