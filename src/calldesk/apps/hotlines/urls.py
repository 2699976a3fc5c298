from django.urls import path

from . import documents, views

app_name = "hotlines"
urlpatterns = [
    path("", views.hotline_list, name="list"),
    path("<int:hotline_id>/", views.hotline_detail, name="detail"),
    path("<int:hotline_id>/edit/", views.spec_edit, name="edit"),
    path("<int:hotline_id>/versions/<int:number>/", views.version_detail, name="version"),
    path("<int:hotline_id>/versions/<int:number>/propose/", views.version_propose, name="propose"),
    path("<int:hotline_id>/versions/<int:number>/export/<str:fmt>/", documents.staff_export, name="export"),
    path("<int:hotline_id>/versions/<int:number>/audio/<slug:kind>/<slug:language>/", views.message_audio, name="message_audio"),
    path("<int:hotline_id>/audio/", views.audio_upload, name="audio_upload"),
    path("<int:hotline_id>/diff/", views.version_diff, name="diff"),
    path("<int:hotline_id>/go-live/", views.go_live, name="go_live"),
    path("<int:hotline_id>/kb/", views.kb_list, name="kb"),
    path("<int:hotline_id>/kb/<int:entry_id>/", views.kb_edit, name="kb_edit"),
    path("<int:hotline_id>/kb/search/", views.kb_search, name="kb_search"),
    path("<int:hotline_id>/training/", views.training, name="training"),
    path("<int:hotline_id>/test/", views.operator_test, name="test"),
    path("training/", views.my_training, name="my_training"),
    path("calls/<uuid:call_id>/panel/", views.call_panel, name="call_panel"),
]
