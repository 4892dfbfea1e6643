from django.urls import path

from medlead.fitproper import task_views, views

app_name = "fitproper"
urlpatterns = [
    path("", views.register, name="register"),
    path("waiting/", task_views.waiting, name="waiting"),
    path("members/<int:pk>/open/", views.open_assessment, name="open"),
    path("members/<int:pk>/leaver/", views.leaver, name="leaver"),
    path("assessments/<int:pk>/", views.assessment, name="assessment"),
    path("assessments/<int:pk>/checks/", views.check_record, name="check"),
    path("assessments/<int:pk>/attestation/", views.attest, name="attest"),
    path("assessments/<int:pk>/sign-off/", views.sign_off, name="sign_off"),
    path("return/<int:year>/", views.annual_return, name="return"),
    path("return/<int:year>/pdf/", views.annual_return_pdf, name="return_pdf"),
    path("return/<int:year>/csv/", views.annual_return_csv, name="return_csv"),
    path("return/<int:year>/sign-off/", views.annual_return_submit, name="return_submit"),
]
