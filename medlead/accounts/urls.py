from django.urls import path

from medlead.accounts import sso, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", views.sign_out, name="logout"),
    path("sso/", sso.Start.as_view(), name="sso_start"),
    path("sso/callback/", sso.Callback.as_view(), name="sso_callback"),
    path("signed-out/", sso.signed_out, name="signed_out"),
    path("password-reset/", views.PasswordReset.as_view(), name="password_reset"),
    path("password-reset/sent/", views.PasswordResetSent.as_view(), name="password_reset_sent"),
    path("password-reset/<uidb64>/<token>/", views.PasswordResetConfirm.as_view(), name="password_reset_confirm"),
    path("password-reset/done/", views.PasswordResetDone.as_view(), name="password_reset_done"),
]
