from django.urls import path

from . import views

app_name = "clients"
urlpatterns = [
    path("", views.portal, name="portal"),
    path("hotlines/<int:hotline_id>/", views.hotline_detail, name="hotline"),
]
