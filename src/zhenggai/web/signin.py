"""Signing in, and one's own password: the sign-in page (which, on an installation
with no organisation yet, says how the operator makes the first administrator),
setting a password with a one-time code, and changing one's password."""

from typing import Any

from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from zhenggai.refusals import Refused
from zhenggai.services import people
from zhenggai.services.office_setup import installed
from zhenggai.web.admin_forms import WelcomeForm

# Signed in by the code's holder themselves: the password was just checked by the
# service, so no other backend need look at it again.
BACKEND = "django.contrib.auth.backends.ModelBackend"


class SignIn(auth_views.LoginView):
    """The sign-in form; on an empty installation, the command that starts it.

    The first administrator is made only on the server's command line (`zhenggai
    setup`): a page that let the first visitor claim an empty installation would
    give it to whoever on the network came first."""

    redirect_authenticated_user = True

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not installed():
            return render(request, "registration/setup_needed.html")
        return super().dispatch(request, *args, **kwargs)


class PasswordChange(auth_views.PasswordChangeView):
    """Django's page (the old password, the new one twice, the configured validators),
    saved through the service so that the change is audited."""

    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("web:home")

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        people.password_changed(user=form.user, password=form.cleaned_data["new_password1"])
        update_session_auth_hash(self.request, form.user)
        messages.success(self.request, _("密码已修改"))
        return redirect(self.get_success_url())


def welcome(request: HttpRequest) -> HttpResponse:
    """Setting one's password with the one-time code from the administrator; signed in
    with it at once."""
    form = WelcomeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = people.password_set_by_code(
                username=data["username"], code=data["code"], password=data["password1"]
            )
        except Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            login(request, user, backend=BACKEND)
            messages.success(request, _("密码已设置，欢迎使用"))
            return redirect("web:home")
    status = 400 if form.errors else 200
    return render(request, "registration/welcome.html", {"form": form}, status=status)
