from django.urls import path

from medlead.audit import views

app_name = "audit"
urlpatterns = [path("", views.audit_log, name="log")]
