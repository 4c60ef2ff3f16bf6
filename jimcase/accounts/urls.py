from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("second-factor/", views.second_factor, name="second_factor"),
    path("second-factor/setup/", views.second_factor_setup, name="second_factor_setup"),
    path("second-factor/verify/", views.second_factor_verify, name="second_factor_verify"),
    path("second-factor/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    # The person's own e-mail address, and the link mailed to the new one.
    path("email/", views.email_change, name="email_change"),
    path("email/confirm/<str:token>/", views.email_change_confirm, name="email_change_confirm"),
]
