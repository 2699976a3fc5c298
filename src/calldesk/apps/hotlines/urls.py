from django.urls import path

from . import views

app_name = "hotlines"
urlpatterns = [
    path("", views.hotline_list, name="list"),
]
