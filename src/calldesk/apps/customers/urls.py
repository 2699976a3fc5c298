from django.urls import path

from . import views

app_name = "customers"
urlpatterns = [
    path("", views.customer_list, name="list"),
    path("<int:customer_id>/", views.customer_detail, name="detail"),
    path("sales/", views.sales_home, name="sales_home"),
    path("receivables/", views.finance_home, name="finance_home"),
]
