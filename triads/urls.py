from django.urls import path

from . import views

app_name = "triads"
urlpatterns = [
    path("mine/", views.mine, name="mine"),
]
