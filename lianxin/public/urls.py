from django.urls import path, re_path
from django.views.i18n import set_language

from lianxin.public import views
from lianxin.public.errors import not_found

app_name = "public"

urlpatterns = [
    path("", views.home, name="home"),
    path("submit/", views.submit, name="submit"),
    path("track/", views.track, name="track"),
    path("rate/", views.rate, name="rate"),
    path("league/", views.league_table, name="league"),
    path("lang/", set_language, name="set-language"),
    re_path(r"^.*$", not_found),  # anything else under /public/ gets the Chinese not-found page
]
