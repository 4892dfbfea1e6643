from django.urls import path

from medlead.organisation import views

app_name = "organisation"
urlpatterns = [
    path("people/", views.people, name="people"),
    path("people/pick/", views.people_pick, name="people_pick"),
    path("people/new/", views.person_edit, name="person_new"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("import/", views.import_upload, name="import"),
    path("import/<int:pk>/", views.import_batch, name="import_batch"),
    path("import/template/<str:kind>.csv", views.import_template, name="import_template"),
    path("import/layouts/<str:code>/", views.import_layout, name="import_layout"),
]
