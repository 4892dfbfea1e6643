from django.urls import path

from medlead.jobplans.views import plans as views
from medlead.jobplans.views import signing
from medlead.jobplans.views import tasks as task_views

app_name = "jobplans"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("mine/", views.mine, name="mine"),
    path("waiting/", task_views.waiting, name="waiting"),
    path("new/", views.plan_new, name="new"),
    path("export.<str:fmt>", views.export, name="export"),
    path("<int:pk>/", views.plan_detail, name="plan"),
    path("<int:pk>/edit/", views.plan_edit, name="edit"),
    path("<int:pk>/pdf/", views.plan_pdf, name="pdf"),
    path("<int:pk>/activities/new/", views.activity_add, name="activity_add"),
    path("activities/<int:pk>/delete/", views.activity_delete, name="activity_delete"),
    path("<int:pk>/transition/", views.plan_transition, name="transition"),
    path("<int:pk>/sign/", signing.sign_check, name="sign"),
    path("<int:pk>/sign/confirm/", signing.sign_confirm, name="sign_confirm"),
    path("<int:pk>/signed/", signing.signed, name="signed"),
    path("<int:pk>/comment/", views.plan_comment, name="comment"),
    path("<int:pk>/copy/", views.plan_copy, name="copy"),
]
