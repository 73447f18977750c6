from django.urls import path

from anjian.accounts import body_settings, grant_views, views
from anjian.accounts import user_admin_views as admin

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("language/", views.set_language, name="set_language"),
    path("login-log/", views.login_log, name="login_log"),
    path("body/settings/", body_settings.body_settings, name="body_settings"),
    path("users/", admin.user_list, name="user_list"),
    path("users/new/", admin.user_create_view, name="user_create"),
    path("users/<int:pk>/", admin.user_detail, name="user_detail"),
    path("users/<int:pk>/edit/", admin.user_edit, name="user_edit"),
    path("users/<int:pk>/active/", admin.user_set_active_view, name="user_set_active"),
    path("users/<int:pk>/password/", admin.user_reset_password_view, name="user_reset_password"),
    path("users/<int:pk>/unlock/", admin.user_unlock_view, name="user_unlock"),
    path("users/<int:pk>/grant/", grant_views.grant_request_view, name="grant_request"),
    path("grants/", grant_views.grant_list, name="grant_list"),
    path("grants/<int:pk>/decide/", grant_views.grant_decide, name="grant_decide"),
]
