from django.urls import path

from medlead.home import views

app_name = "home"
urlpatterns = [
    path("", views.index, name="index"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("t/<str:trust_code>/", views.trust, name="trust"),
]
