from django.urls import path

from . import views

app_name = "workforce"
urlpatterns = [
    path("", views.plan_page, name="plan"),
    path("schedule/", views.schedule_build, name="schedule_build"),
    path("<int:hotline_id>/check/", views.plan_check, name="plan_check"),
    path("<int:hotline_id>/export/", views.plan_export, name="plan_export"),
    path("import/", views.history_import, name="history_import"),
    path("man-hours/", views.man_hours, name="man_hours"),
    path("man-hours/export/", views.man_hours_export, name="man_hours_export"),
]
