from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView

from medlead.api import views

app_name = "api"
t = "trusts/<str:trust_code>/"
urlpatterns = [
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="schema"),
    path("", views.api_docs, name="docs"),
    path("trusts/", views.TrustList.as_view(), name="trusts"),
    path(t + "divisions/", views.DivisionList.as_view(), name="divisions"),
    path(t + "specialties/", views.SpecialtyList.as_view(), name="specialties"),
    path(t + "people/", views.PersonList.as_view(), name="people"),
    path(t + "people/<int:pk>/", views.PersonDetail.as_view(), name="person"),
    path(t + "posts/", views.PostList.as_view(), name="posts"),
    path(t + "posts/<int:pk>/", views.PostDetail.as_view(), name="post"),
    path(t + "portfolio/", views.Portfolio.as_view(), name="portfolio"),
    path(t + "org-chart/", views.OrgChart.as_view(), name="org_chart"),
    path(t + "structure-health/", views.StructureHealth.as_view(), name="structure_health"),
    path(t + "succession/", views.Succession.as_view(), name="succession"),
    path(t + "fhir/practitioners/", views.FhirPractitioners.as_view(), name="fhir_practitioners"),
    path("opportunities/", views.Opportunities.as_view(), name="opportunities"),
]
