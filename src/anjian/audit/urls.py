from django.urls import path

from anjian.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.entry_list, name="entry_list"),
    path("checkpoint/", views.checkpoint_download, name="checkpoint_download"),
]
