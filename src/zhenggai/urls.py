from django.urls import include, path

from zhenggai.api.main import api

urlpatterns = [
    path("", include("zhenggai.web.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    # The published bulletins, for anyone: no sign-in.
    path("public/", include("zhenggai.publications.urls")),
]
