from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from . import forms, views
from .accounts import views as account_views

case_urls = (
    [
        path("caseload/", views.caseload, name="caseload"),
        path("new/", views.youth_create, name="youth_create"),
        path("<int:pk>/", views.youth_detail, name="youth_detail"),
        path("<int:pk>/edit/", views.youth_edit, name="youth_edit"),
        path("<int:pk>/parents/add/", views.parent_edit, name="parent_add"),
        path("<int:pk>/parents/<int:parent_pk>/edit/", views.parent_edit, name="parent_edit"),
        path("<int:pk>/parents/nobody/", views.nobody_can_decide, name="nobody_can_decide"),
        path("<int:pk>/assignments/add/", views.assignment_add, name="assignment_add"),
        path("<int:pk>/assignments/<int:assignment_pk>/end/", views.assignment_end, name="assignment_end"),
        path("<int:pk>/assignments/<int:assignment_pk>/lead/", views.lead_hand_over, name="lead_hand_over"),
        path("<int:pk>/capacity/", views.capacity_edit, name="capacity_edit"),
        path("<int:pk>/notes/add/", views.note_add, name="note_add"),
        path("<int:pk>/dossier/", views.dossier_access, name="dossier_access"),
    ],
    "jimcase",
)

accounts_urls = [
    path(
        "login/",
        auth_views.LoginView.as_view(authentication_form=forms.LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/change/", account_views.PasswordChangeView.as_view(), name="password_change"),
    path("password/change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("password/reset/", account_views.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/done/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "reset/<uidb64>/<token>/",
        account_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz/", views.healthz, name="healthz"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("accounts/", include(accounts_urls)),
    path("accounts/", include("jimcase.accounts.urls")),
    path("admin/", admin.site.urls),
    path("youths/", include(case_urls)),
    path("mentors/", include("mentors.urls")),
    path("triads/", include("triads.urls")),
]

# 503 (try again) while the database is away for a moment; the usual 500 page otherwise.
handler500 = "jimcase.views.server_error"
