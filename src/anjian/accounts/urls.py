from django.urls import path

from anjian.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("language/", views.set_language, name="set_language"),
    path("login-log/", views.login_log, name="login_log"),
    path("users/", views.user_list, name="user_list"),
]
