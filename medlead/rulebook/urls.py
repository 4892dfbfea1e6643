from django.urls import path

from medlead.rulebook import views

app_name = "rulebook"
urlpatterns = [
    path("", views.values_page, name="values"),
    path("confirm/", views.confirm, name="confirm"),
    path("confirm/save/", views.confirm_save, name="confirm_save"),
    path("confirmed/<int:pk>/", views.confirmed, name="confirmed"),
]
