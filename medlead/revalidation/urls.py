from django.urls import path

from medlead.revalidation import views

app_name = "revalidation"
urlpatterns = [
    path("revalidation/", views.home, name="home"),
    path("revalidation/doctors/<int:pk>/", views.doctor, name="doctor"),
    path("revalidation/appraisers/", views.appraisers, name="appraisers"),
    path("revalidation/report/", views.report, name="report"),
    path("appraisals/", views.my_appraisals, name="mine"),
    path("appraisals/<int:pk>/", views.appraisal, name="appraisal"),
    path("appraisals/<int:pk>/missed/", views.missed, name="missed"),
]
