from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView

from lianxin.analytics.api import KpiView
from lianxin.core.api import CategoryList, TokenView, UnitList
from lianxin.core.api_support import not_found
from lianxin.intake.api import AnalyzeView
from lianxin.orders.api import views as orders

urlpatterns = [
    path("schema", SpectacularAPIView.as_view(), name="schema"),
    path("auth/token", TokenView.as_view(), name="auth-token"),
    path("units", UnitList.as_view(), name="units"),
    path("categories", CategoryList.as_view(), name="categories"),
    path("orders", orders.OrderListCreate.as_view(), name="orders"),
    path("orders/batch", orders.OrderBatchCreate.as_view(), name="orders-batch"),
    path("orders/<int:pk>", orders.OrderDetail.as_view(), name="order-detail"),
    path("orders/<int:pk>/timeline", orders.OrderTimeline.as_view(), name="order-timeline"),
    path("kpis", KpiView.as_view(), name="kpis"),
    path("intake/analyze", AnalyzeView.as_view(), name="intake-analyze"),
]
urlpatterns += [
    path(f"orders/<int:pk>/{name}", orders.action_view(name).as_view(), name=f"order-{name}") for name in orders.ACTIONS
]
urlpatterns += [re_path(r"^(?P<path>.*)$", not_found, name="not-found")]
