from django.urls import path

from anjian.registry import lookup_views, views

app_name = "registry"
urlpatterns = [
    path("enterprises/", views.enterprise_list, name="enterprise_list"),
    path("enterprises/new/", views.enterprise_create_view, name="enterprise_create"),
    path("enterprises/import/", views.enterprise_import, name="enterprise_import"),
    path("enterprises/template.xlsx", views.enterprise_template, name="enterprise_template"),
    path("enterprises/mine/", views.my_enterprise, name="my_enterprise"),
    path("enterprises/lookup/", lookup_views.enterprise_lookup, name="enterprise_lookup"),
    path("enterprises/<int:pk>/", views.enterprise_detail, name="enterprise_detail"),
    path("enterprises/<int:pk>/edit/", views.enterprise_edit, name="enterprise_edit"),
    path(
        "enterprises/<int:pk>/account/",
        views.enterprise_account_create_view,
        name="enterprise_account_create",
    ),
    path("enterprises/<int:pk>/delete/", views.enterprise_delete_view, name="enterprise_delete"),
    path("officers/", views.officer_list, name="officer_list"),
    path("officers/new/", views.officer_create_view, name="officer_create"),
    path("officers/import/", views.officer_import, name="officer_import"),
    path("officers/template.xlsx", views.officer_template, name="officer_template"),
    path("officers/<int:pk>/", views.officer_detail, name="officer_detail"),
    path("officers/<int:pk>/edit/", views.officer_edit, name="officer_edit"),
    path("officers/<int:pk>/delete/", views.officer_delete_view, name="officer_delete"),
]
