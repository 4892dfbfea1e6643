from django.urls import path

from medlead.fitproper import views

app_name = "fitproper"
urlpatterns = [
    path("", views.register, name="register"),
    path("members/<int:pk>/open/", views.open_assessment, name="open"),
    path("members/<int:pk>/leaver/", views.leaver, name="leaver"),
    path("assessments/<int:pk>/", views.assessment, name="assessment"),
    path("return/<int:year>/", views.annual_return, name="return"),
]
