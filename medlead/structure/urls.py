from django.urls import path

from medlead.structure import secondment_views, views

app_name = "structure"
urlpatterns = [
    path("people/pick/", views.people_pick, name="people_pick"),
    path("posts/", views.posts, name="posts"),
    path("posts/new/", views.post_edit, name="post_new"),
    path("posts/<int:pk>/", views.post_detail, name="post"),
    path("posts/<int:pk>/edit/", views.post_edit, name="post_edit"),
    path("posts/<int:pk>/holders/new/", views.holding_add, name="holding_add"),
    path("holdings/<int:pk>/end/", views.holding_end, name="holding_end"),
    path("portfolio/", views.portfolio, name="portfolio"),
    path("portfolio/<slug:code>/", views.portfolio_assign, name="portfolio_assign"),
    path("health/", views.structure_health, name="health"),
    path("chart/", views.chart, name="chart"),
    path("chart/list/", views.chart_list, name="chart_list"),
    path("chart/data.json", views.chart_data, name="chart_data"),
    path("role-profiles/", views.role_profiles, name="role_profiles"),
    path("secondments/", secondment_views.secondments, name="secondments"),
    path("secondments/new/", secondment_views.secondment_new, name="secondment_new"),
    path("secondments/new/confirm/", secondment_views.secondment_confirm, name="secondment_confirm"),
    path("secondments/waiting/", secondment_views.waiting, name="secondments_waiting"),
    path("secondments/<int:pk>/", secondment_views.secondment, name="secondment"),
    path("secondments/<int:pk>/decide/", secondment_views.secondment_decide, name="secondment_decide"),
    path(
        "secondments/<int:pk>/decide/confirm/",
        secondment_views.secondment_decide_confirm,
        name="secondment_decide_confirm",
    ),
]
