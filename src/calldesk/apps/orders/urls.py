from django.urls import path

from . import views

app_name = "orders"
urlpatterns = [
    path("", views.order_list, name="list"),
    path("mine/", views.manager_orders, name="manager"),
    path("new/", views.order_new, name="new"),
    path("<int:order_id>/", views.order_detail, name="detail"),
    path("<int:order_id>/entry/", views.order_entry, name="entry"),
    path("<int:order_id>/lines/", views.order_lines, name="lines"),
    path("<int:order_id>/products/", views.product_search, name="products"),
    path("<int:order_id>/column/", views.order_column, name="column"),
    path("<int:order_id>/offers/", views.order_offers, name="offers"),
    path("<int:order_id>/place/", views.order_place, name="place"),
    path("<int:order_id>/cancel/", views.order_cancel, name="cancel"),
    path("<int:order_id>/escalate/", views.order_escalate, name="escalate"),
    path("web/<str:token>/", views.web_order, name="web"),
]
