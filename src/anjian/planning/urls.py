from django.urls import path

from anjian.planning import views

app_name = "planning"
urlpatterns = [
    path("", views.month_list, name="month_list"),
    path("<int:pk>/", views.month_detail, name="month_detail"),
    path("<int:pk>/visits/new/", views.visit_new, name="visit_new"),
    path("<int:pk>/close/", views.month_close, name="month_close"),
    path("<int:pk>/export.xlsx", views.month_export, name="month_export"),
    path("visits/<int:pk>/withdraw/", views.visit_withdraw, name="visit_withdraw"),
]
