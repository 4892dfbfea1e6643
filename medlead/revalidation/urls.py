from django.urls import path

from medlead.revalidation.views import appraisals, appraisers, missed, queue, recommend, report, tasks

app_name = "revalidation"
urlpatterns = [
    path("revalidation/", queue.home, name="home"),
    path("revalidation/waiting/", tasks.waiting, name="waiting"),
    path("revalidation/doctors/<int:pk>/", queue.doctor, name="doctor"),
    path("revalidation/doctors/<int:pk>/recommend/check/", recommend.recommend_check, name="recommend_check"),
    path("revalidation/doctors/<int:pk>/recommend/", recommend.recommend, name="recommend"),
    path("revalidation/recommendations/<int:pk>/", recommend.recommendation, name="recommendation"),
    path("revalidation/recommendations/<int:pk>/submitted/", recommend.gmc_submitted, name="gmc_submitted"),
    path("revalidation/appraisers/", appraisers.appraisers, name="appraisers"),
    path("revalidation/appraisers/allocate/", appraisers.allocate, name="allocate"),
    path("revalidation/report/", report.report, name="report"),
    path("revalidation/report/pdf/", report.report_pdf, name="report_pdf"),
    path("appraisals/", appraisals.my_appraisals, name="mine"),
    path("appraisals/<int:pk>/", appraisals.appraisal, name="appraisal"),
    path("appraisals/<int:pk>/inputs/", appraisals.inputs, name="inputs"),
    path("appraisals/<int:pk>/outputs/", appraisals.outputs, name="outputs"),
    path("appraisals/<int:pk>/supporting-information/", appraisals.supporting_info, name="supporting_info"),
    path("appraisals/<int:pk>/status/", appraisals.status, name="status"),
    path(
        "appraisals/<int:pk>/supporting-information/domain/",
        appraisals.supporting_info_domain,
        name="supporting_info_domain",
    ),
    path("appraisals/<int:pk>/pdf/", appraisals.appraisal_pdf, name="appraisal_pdf"),
    path("appraisals/<int:pk>/missed/", missed.missed, name="missed"),
    path("appraisals/<int:pk>/missed/confirm/", missed.missed_confirm, name="missed_confirm"),
    path("appraisals/<int:pk>/missed/decided/", missed.missed_decided, name="missed_decided"),
]
