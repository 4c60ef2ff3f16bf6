from django.urls import path

from . import views

app_name = "mentors"

youth = "youth/<int:youth_pk>/"
urlpatterns = [
    path(f"{youth}network/", views.network, name="network"),
    path(f"{youth}network/add/", views.member_add, name="member_add"),
    path(f"{youth}network/<int:pk>/edit/", views.member_edit, name="member_edit"),
    path(f"{youth}network/map.svg", views.network_map, name="network_map"),
    path(f"{youth}search/", views.search, name="search"),
    path(f"{youth}search/start/", views.search_start, name="search_start"),
    path(f"{youth}search/<int:pk>/stop/", views.search_stop, name="search_stop"),
    path(f"{youth}search/<int:pk>/candidates/add/", views.candidate_add, name="candidate_add"),
    path(f"{youth}candidates/<int:pk>/status/", views.candidate_status, name="candidate_status"),
    path(
        f"{youth}candidates/<int:pk>/status/quick/",
        views.candidate_status_quick,
        name="candidate_status_quick",
    ),
    path(f"{youth}candidates/<int:pk>/move/", views.candidate_move, name="candidate_move"),
    path(f"{youth}candidates/<int:pk>/screening/", views.candidate_screening, name="candidate_screening"),
    path(
        f"{youth}candidates/<int:pk>/record-check/",
        views.candidate_record_check,
        name="candidate_record_check",
    ),
    path(
        f"{youth}candidates/<int:pk>/record-check/exception/",
        views.candidate_record_exception,
        name="candidate_record_exception",
    ),
    path(f"{youth}candidates/<int:pk>/choose/", views.candidate_choose, name="candidate_choose"),
]
