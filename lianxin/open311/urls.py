"""GeoReport v2 routes under /open311/v2/; anything else below it is a spec-shaped 404, never an HTML page."""

from django.urls import re_path

from lianxin.open311 import views

FMT = r"\.(?P<fmt>[A-Za-z0-9]+)$"

app_name = "open311"
urlpatterns = [
    re_path(r"^discovery" + FMT, views.discovery, name="discovery"),
    re_path(r"^services" + FMT, views.services, name="services"),
    re_path(r"^services/(?P<code>[^/]+)" + FMT, views.service_definition, name="service-definition"),
    re_path(r"^requests" + FMT, views.requests, name="requests"),
    re_path(r"^requests/(?P<request_id>[^/]+)" + FMT, views.request_detail, name="request"),
    re_path(r"^tokens/(?P<token>[^/]+)" + FMT, views.token, name="token"),
    re_path(r"^(?P<path>.*)$", views.not_found, name="not-found"),
]
