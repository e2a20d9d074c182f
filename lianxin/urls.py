from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("lianxin.api_urls")),
    path("open311/v2/", include("lianxin.open311.urls")),
    path("public/", include("lianxin.public.urls")),
    path("", include("lianxin.web.urls")),
]
