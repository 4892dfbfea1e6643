from django.urls import path

from medlead.organisation import placement_views, views

app_name = "organisation"
urlpatterns = [
    path("about/", views.about, name="about"),
    path("people/", views.people, name="people"),
    path("people/new/", views.person_edit, name="person_new"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
]
# --- issue 34: lead employers and host trusts (placements) ---
urlpatterns += [
    path("placements/", placement_views.placements, name="placements"),
    path("placements/new/", placement_views.record, name="placement_record"),
    path("placements/new/confirm/", placement_views.record_confirm, name="placement_record_confirm"),
    path("placements/<int:pk>/", placement_views.placement, name="placement"),
    path("placements/<int:pk>/recorded/", placement_views.recorded, name="placement_recorded"),
    path("placements/<int:pk>/end/", placement_views.end, name="placement_end"),
    path("placements/<int:pk>/end/confirm/", placement_views.end_confirm, name="placement_end_confirm"),
    path("placements/<int:pk>/ended/", placement_views.ended, name="placement_ended"),
]
