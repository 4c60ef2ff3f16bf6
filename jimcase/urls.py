"""The youth's file: the caseload, the file, parents, assignments, notes, inzage."""

from django.urls import path

from . import views

app_name = "jimcase"
urlpatterns = [
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
]
