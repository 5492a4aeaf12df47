"""The public pages, mounted under /public/ (see zhenggai/urls.py): no sign-in."""

from django.urls import path

from zhenggai.publications import views

app_name = "public"

urlpatterns = [
    path("<slug:slug>/", views.latest, name="latest"),
    path("<slug:slug>/<int:number>/", views.version, name="version"),
    path("<slug:slug>/<int:number>.pdf", views.pdf, name="pdf"),
]
