from django.urls import path

from medlead.fitproper import board_views, decision_views, task_views, views

app_name = "fitproper"
urlpatterns = [
    path("", views.register, name="register"),
    path("waiting/", task_views.waiting, name="waiting"),
    path("board/", board_views.register, name="board"),
    path("board/<slug:change>/", board_views.change_form, name="board_change"),
    path("board/<slug:change>/confirm/", board_views.change_confirm, name="board_confirm"),
    path("board/<int:pk>/<slug:change>/", board_views.change_form, name="seat_change"),
    path("board/<int:pk>/<slug:change>/confirm/", board_views.change_confirm, name="seat_confirm"),
    path("members/<int:pk>/open/", views.open_assessment, name="open"),
    path("members/<int:pk>/leaver/", views.leaver, name="leaver"),
    path("assessments/<int:pk>/", views.assessment, name="assessment"),
    path("assessments/<int:pk>/checks/", views.check_record, name="check"),
    path("assessments/<int:pk>/attestation/", views.attest, name="attest"),
    path("assessments/<int:pk>/sign-off/check/", decision_views.sign_off_check, name="sign_off_check"),
    path("assessments/<int:pk>/sign-off/", views.sign_off, name="sign_off"),
    path("assessments/<int:pk>/decided/", decision_views.decided, name="decided"),
    path("return/<int:year>/", views.annual_return, name="return"),
    path("return/<int:year>/pdf/", views.annual_return_pdf, name="return_pdf"),
    path("return/<int:year>/csv/", views.annual_return_csv, name="return_csv"),
    path("return/<int:year>/check/", decision_views.return_check, name="return_check"),
    path("return/<int:year>/sign-off/", views.annual_return_submit, name="return_submit"),
    path("return/<int:year>/signed-off/", decision_views.return_submitted, name="return_submitted"),
]
