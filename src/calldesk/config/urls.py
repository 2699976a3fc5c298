from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from calldesk.config.api import api

urlpatterns = [
    path("", include("calldesk.apps.core.urls")),
    path("accounts/", include("calldesk.apps.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("audit/", include("calldesk.apps.audit.urls")),
    path("hotlines/", include("calldesk.apps.hotlines.urls")),
    path("portal/", include("calldesk.apps.clients.urls")),
    path("customers/", include("calldesk.apps.customers.urls")),
    path("orders/", include("calldesk.apps.orders.urls")),
    path("calls/", include("calldesk.apps.calls.urls")),
    path("workforce/", include("calldesk.apps.workforce.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]
