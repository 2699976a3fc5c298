from django.urls import path

from . import views

app_name = "orders"
urlpatterns = [
    path("", views.order_list, name="list"),
    path("mine/", views.manager_orders, name="manager"),
    path("<int:order_id>/", views.order_detail, name="detail"),
]
