from django.urls import path

from . import views

app_name = "calls"
urlpatterns = [
    path("desk/", views.desk, name="desk"),
    path("wallboard/", views.wallboard, name="wallboard"),
]
