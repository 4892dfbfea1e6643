from django.urls import path

from medlead.rota import views

app_name = "rota"
urlpatterns = [
    path("rotas/", views.rota_list, name="rotas"),
    path("rotas/<int:pk>/", views.rota_detail, name="rota"),
    path("rotas/<int:pk>/duties/new/", views.duty_add, name="duty_add"),
    path("rotas/<int:pk>/generate/", views.generate, name="generate"),
    path("rotas/<int:pk>/members/new/", views.member_add, name="member_add"),
    path("rotas/duties/<int:pk>/delete/", views.duty_delete, name="duty_delete"),
    path("exception-reports/", views.report_list, name="reports"),
    path("exception-reports/new/", views.report_new, name="report_new"),
    path("exception-reports/<int:pk>/", views.report_detail, name="report"),
    path("guardian-report/", views.guardian_report, name="guardian_report"),
]
