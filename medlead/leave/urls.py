from django.urls import path

from medlead.leave.views import coordinator, doctor

app_name = "leave"
urlpatterns = [
    path("", doctor.mine, name="mine"),
    path("new/", doctor.new, name="new"),
    path("new/confirm/", doctor.new_confirm, name="new_confirm"),
    path("waiting/", coordinator.waiting, name="waiting"),
    path("<int:pk>/", coordinator.detail, name="request"),
    path("<int:pk>/sent/", doctor.sent, name="sent"),
    path("<int:pk>/withdraw/", doctor.withdraw, name="withdraw"),
    path("<int:pk>/cancel/", doctor.cancel, name="cancel"),
    path("<int:pk>/decide/check/", coordinator.decide_check, name="decide_check"),
    path("<int:pk>/decide/", coordinator.decide, name="decide"),
    path("<int:pk>/decided/", coordinator.decided, name="decided"),
    path("people/<int:pk>/record/", coordinator.record, name="record"),
]
