from django.urls import path

from medlead.imports import views

app_name = "imports"
urlpatterns = [
    path("import/", views.index, name="index"),
    path("import/<int:pk>/", views.batch, name="batch"),
    path("import/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("import/<int:pk>/retry/", views.retry, name="retry"),
    path("import/template/<str:kind>.csv", views.template, name="template"),
    path("import/layouts/<str:code>/", views.layout, name="layout"),
    # last: a kind's code is any word the paths above do not take
    path("import/<str:kind>/", views.upload, name="upload"),
]
