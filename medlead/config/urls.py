from django.contrib import admin
from django.urls import include, path

from medlead.accounts import local_passwords

urlpatterns = [
    path("", include("medlead.home.urls")),
    path("accounts/", include("medlead.accounts.urls")),
    path("t/<str:trust_code>/", include("medlead.organisation.urls")),
    path("t/<str:trust_code>/structure/", include("medlead.structure.urls")),
    path("t/<str:trust_code>/", include("medlead.rota.urls")),
    path("", include("medlead.residents.urls")),
    path("t/<str:trust_code>/job-plans/", include("medlead.jobplans.urls")),
    path("t/<str:trust_code>/", include("medlead.revalidation.urls")),
    path("", include("medlead.leadership.urls")),
    path("", include("medlead.feedback.urls")),
    path("t/<str:trust_code>/information-transfers/", include("medlead.transfers.urls")),
    path("regions/", include("medlead.regions.urls")),
    path("t/<str:trust_code>/development/", include("medlead.development.urls")),
    path("t/<str:trust_code>/talent/", include("medlead.talent.urls")),
    path("t/<str:trust_code>/concerns/", include("medlead.concerns.urls")),
    path("t/<str:trust_code>/board/", include("medlead.governance.urls")),
    path("t/<str:trust_code>/fit-and-proper/", include("medlead.fitproper.urls")),
    path("t/<str:trust_code>/awards/", include("medlead.awards.urls")),
    path("t/<str:trust_code>/access/", include("medlead.accounts.access_urls")),
    path("t/<str:trust_code>/rules/", include("medlead.rulebook.urls")),
    path("t/<str:trust_code>/leave/", include("medlead.leave.urls")),
    path("t/<str:trust_code>/", include("medlead.imports.urls")),
    path("audit/", include("medlead.audit.urls")),
    path("api/", include("medlead.api.urls")),
    # The admin's own sign-in and password pages give way to medlead's (no password form when passwords are off).
    path("admin/login/", local_passwords.admin_sign_in),
    path(
        "admin/password_change/",
        local_passwords.only_with_local_passwords(local_passwords.admin_password_change),
    ),
    path("admin/", admin.site.urls),
]

handler403 = "medlead.home.views.forbidden"
