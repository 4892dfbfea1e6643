from django.urls import path

from medlead.accounts import access_views as views
from medlead.accounts import task_views

app_name = "access"
urlpatterns = [
    path("", views.accounts, name="accounts"),
    path("accounts/<int:pk>/", views.account, name="account"),
    path("accounts/<int:pk>/<slug:change>/", views.change_form, name="change"),
    path("accounts/<int:pk>/<slug:change>/confirm/", views.change_confirm, name="change_confirm"),
    path("requests/", views.requests, name="requests"),
    path("requests/waiting/", task_views.waiting, name="requests_waiting"),
    path("requests/<int:pk>/", views.access_request, name="request"),
    path("requests/<int:pk>/approve/", views.request_approve, name="request_approve"),
    path("requests/<int:pk>/refuse/", views.request_refuse, name="request_refuse"),
    path("requests/<int:pk>/withdraw/", views.request_withdraw, name="request_withdraw"),
]
