"""The information transfer's addresses (namespace ``transfers``), under ``/t/<trust>/information-transfers/``: a
transfer is opened under the trust that asked for it or the trust asked, each seeing its own side."""

from __future__ import annotations

from django.urls import path

from medlead.transfers.views import answering, asking, lists, record

app_name = "transfers"
urlpatterns = [
    path("", lists.index, name="list"),
    path("yours/", lists.mine, name="mine"),
    path("to-complete/", lists.to_complete, name="to_complete"),
    path("to-read/", lists.to_read, name="to_read"),
    path("waiting/", lists.waiting, name="waiting"),
    path("to-ask/", lists.to_ask, name="to_ask"),
    path("new/", asking.new, name="new"),
    path("new/confirm/", asking.new_confirm, name="new_confirm"),
    path("<int:pk>/", record.transfer, name="transfer"),
    path("<int:pk>/pdf/", record.pdf, name="pdf"),
    path("<int:pk>/withdraw/", asking.withdraw, name="withdraw"),
    path("<int:pk>/withdraw/confirm/", asking.withdraw_confirm, name="withdraw_confirm"),
    path("<int:pk>/complete/", answering.complete, name="complete"),
    path("<int:pk>/complete/save/", answering.save, name="save"),
    path("<int:pk>/complete/send/", answering.send, name="send"),
    path("<int:pk>/not-connected/", answering.not_connected, name="not_connected"),
    path("<int:pk>/not-connected/confirm/", answering.not_connected_confirm, name="not_connected_confirm"),
]
