from django.urls import path

from zhenggai import home
from zhenggai.api.main import api

urlpatterns = [
    path("", home.index),
    path("api/", api.urls),
]
