from django.urls import path

from . import followup_views, jim_views, views

app_name = "triads"
urlpatterns = [
    # The JIM's pages (jim_views).
    path("mine/", jim_views.mine, name="mine"),
    path("mine/<int:pk>/", jim_views.jim_triad, name="jim_triad"),
    path("mine/<int:pk>/ask/", jim_views.jim_ask, name="jim_ask"),
    path("mine/<int:pk>/evaluation/<int:check_in_pk>/", jim_views.jim_evaluation, name="jim_evaluation"),
    path("mine/<int:pk>/log/", jim_views.jim_log, name="jim_log"),
    path("mine/<int:pk>/log/<int:entry_pk>/share/", jim_views.jim_log_share, name="jim_log_share"),
    path("mine/welcome/", jim_views.jim_welcome, name="jim_welcome"),
    path("mine/peers/", jim_views.jim_peers, name="jim_peers"),
    path("mine/peers/join/", jim_views.jim_peers_join, name="jim_peers_join"),
    path("mine/peers/<int:meeting_pk>/attend/", jim_views.jim_peer_attend, name="jim_peer_attend"),
    path("youth/<int:youth_pk>/search/<int:search_pk>/new/", views.triad_create, name="create"),
    path("<int:pk>/", views.triad_detail, name="detail"),
    path("<int:pk>/agreement/", views.agreement_edit, name="agreement_edit"),
    path("<int:pk>/agreement/v<int:version>/print/", views.agreement_print, name="agreement_print"),
    path("<int:pk>/sign/", views.sign_in_person, name="sign_in_person"),
    path("<int:pk>/links/new/", views.signing_link_send, name="link_send"),
    path("<int:pk>/consent/", views.consent_record, name="consent_record"),
    path("<int:pk>/invite/", views.jim_invite, name="jim_invite"),
    path("<int:pk>/password-link/", views.jim_password_link, name="jim_password_link"),
    path("<int:pk>/start/", views.triad_start, name="start"),
    path("sign/<str:token>/", views.sign_link, name="sign_link"),
    # Follow-up by the professional (followup_views).
    path("<int:pk>/plan/new/", followup_views.check_in_add, name="check_in_add"),
    path("<int:pk>/plan/<int:check_in_pk>/move/", followup_views.check_in_move, name="check_in_move"),
    path("<int:pk>/plan/<int:check_in_pk>/cancel/", followup_views.check_in_cancel, name="check_in_cancel"),
    path("<int:pk>/plan/<int:check_in_pk>/done/", followup_views.check_in_done, name="check_in_done"),
    path("<int:pk>/evaluations/new/", followup_views.evaluation_add, name="evaluation_add"),
    path("<int:pk>/plan/<int:check_in_pk>/youth-view/", followup_views.youth_view, name="youth_view"),
    path("<int:pk>/close/", followup_views.close, name="close"),
    path("<int:pk>/shared-notes/new/", followup_views.note_share, name="note_share"),
    path("<int:pk>/shared-notes/<int:share_pk>/stop/", followup_views.note_unshare, name="note_unshare"),
    path(
        "<int:pk>/requests/<int:request_pk>/handled/",
        followup_views.fallback_handle,
        name="fallback_handle",
    ),
]
