"""Workbench URLs, mounted at "/" (the API keeps /api/v1/, the admin /admin/)."""

from django.urls import include, path

from lianxin.web.views import auth, dashboard, intake, orders, queues

app_name = "web"
urlpatterns = [
    path("", auth.home, name="home"),
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("intake/", intake.intake, name="intake"),
    path("intake/analyze/", intake.analyze, name="intake-analyze"),
    path("dispatch/", queues.dispatch_queue, name="dispatch"),
    path("dispatch/batch/", queues.batch_dispatch, name="dispatch-batch"),
    path("inbox/", queues.inbox, name="inbox"),
    path("callback/", queues.callback_list, name="callback"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/map/", dashboard.map_data, name="dashboard-map"),
    path("orders/", orders.order_list, name="orders"),
    path("orders/<int:pk>/", orders.order_detail, name="order"),
    path("orders/<int:pk>/unmask/", orders.unmask, name="order-unmask"),
    path("orders/<int:pk>/act/<slug:name>/", orders.act, name="order-act"),
    path("orders/<int:pk>/files/<str:name>", orders.attachment, name="order-file"),
]
