from django.urls import path

from . import views

app_name = "customers"
urlpatterns = [
    path("", views.customer_list, name="list"),
    path("<int:customer_id>/", views.customer_detail, name="detail"),
    path("<int:customer_id>/reference/", views.reference_mail, name="reference_mail"),
    path("<int:customer_id>/remarks/new/", views.remark_new, name="remarks_new"),
    path("remarks/", views.remark_list, name="remarks"),
    path("remarks/<int:remark_id>/", views.remark_detail, name="remark"),
    path("sales/", views.sales_home, name="sales_home"),
    path("sales/escalations/<int:escalation_id>/", views.escalation_answer, name="escalation"),
    path("receivables/", views.finance_home, name="finance_home"),
    path("import/", views.import_data, name="import"),
]
