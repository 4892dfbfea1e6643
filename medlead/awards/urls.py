from django.urls import path

from medlead.awards import views

app_name = "awards"
urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.start, name="start"),
    path("summary/", views.summary, name="summary"),
    path("<int:pk>/", views.application, name="application"),
]
