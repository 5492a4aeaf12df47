from django.urls import path

from zhenggai.api.main import api

urlpatterns = [
    path("api/", api.urls),
]
