from django.urls import path

from . import views

app_name = "clients"
urlpatterns = [
    path("", views.portal, name="portal"),
    path("hotlines/<int:hotline_id>/", views.hotline_detail, name="hotline"),
    path("hotlines/<int:hotline_id>/versions/<int:number>/", views.version_detail, name="version"),
    path("hotlines/<int:hotline_id>/versions/<int:number>/approve/", views.version_approve, name="approve"),
    path("hotlines/<int:hotline_id>/versions/<int:number>/reject/", views.version_reject, name="reject"),
    path("hotlines/<int:hotline_id>/versions/<int:number>/export/<str:fmt>/", views.version_export, name="export"),
    path("hotlines/<int:hotline_id>/diff/", views.version_diff, name="diff"),
]
