"""My rota under its trust, and the two public addresses: the secret calendar feed and the web app manifest
(``core.middleware.PUBLIC_PREFIXES`` lets them through without a sign-in)."""

from django.urls import path, re_path

from medlead.residents import public_views, views
from medlead.residents.feeds import ADDRESS_PATTERN

app_name = "residents"
urlpatterns = [
    path("t/<str:trust_code>/my-rota/", views.my_rota, name="my_rota"),
    path("t/<str:trust_code>/my-rota/calendar/new/", views.feed_start, name="feed_start"),
    path("t/<str:trust_code>/my-rota/calendar/replace/", views.feed_replace, name="feed_replace"),
    path("t/<str:trust_code>/my-rota/calendar/stop/", views.feed_stop, name="feed_stop"),
    re_path(rf"^cal/(?P<token>{ADDRESS_PATTERN})\.ics$", public_views.feed, name="feed"),
    path("manifest.webmanifest", public_views.manifest, name="manifest"),
]
