from django.urls import path

from medlead.development import views

app_name = "development"
urlpatterns = [
    path("", views.home, name="home"),
    path("target-role/", views.target_role, name="target_role"),
    path("suggestions/add/", views.suggestion_add, name="suggestion_add"),
    path("plans/new/", views.plan_new, name="plan_new"),
    path("plans/<int:pk>/", views.plan, name="plan"),
    path("plans/<int:pk>/pdf/", views.plan_pdf, name="plan_pdf"),
    path("opportunities/", views.catalogue, name="catalogue"),
    path("openings/", views.openings, name="openings"),
    path("openings/new/", views.opening_new, name="opening_new"),
    path("openings/<int:pk>/", views.opening, name="opening"),
    path("experience/", views.experiences, name="experiences"),
    path("experience/new/", views.experience_new, name="experience_new"),
    path("experience/<int:pk>/evidence/", views.experience_file, name="experience_file"),
    path("mentors/", views.mentors, name="mentors"),
    path("mentors/new/", views.mentor_new, name="mentor_new"),
    path("mentoring/request/", views.mentoring_request, name="mentoring_request"),
    path("mentoring/<int:pk>/", views.mentorship, name="mentorship"),
    path("career/", views.career, name="career"),
    path("readiness/", views.readiness, name="readiness"),
    path("readiness/shared/<int:pk>/", views.readiness_shared, name="readiness_shared"),
]
