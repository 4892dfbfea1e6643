from django.urls import path

from medlead.rota.views import generation, guardian, publication, reports, rotas, swap_decisions, swaps

app_name = "rota"
urlpatterns = [
    path("rotas/", rotas.rota_list, name="rotas"),
    path("rotas/<int:pk>/", rotas.rota_detail, name="rota"),
    path("rotas/<int:pk>/duties/new/", rotas.duty_add, name="duty_add"),
    path("rotas/<int:pk>/members/new/", rotas.member_add, name="member_add"),
    path("rotas/duties/<int:pk>/delete/", rotas.duty_delete, name="duty_delete"),
    path("rotas/<int:pk>/generate/", generation.generate, name="generate"),
    path("rotas/<int:pk>/generate/plan/", generation.plan_save, name="generate_plan"),
    path("rotas/<int:pk>/generate/absences/", generation.absence_add, name="generate_absence"),
    path("rotas/<int:pk>/generate/requests/", generation.request_add, name="generate_request"),
    path("rotas/<int:pk>/generate/needs/<slug:code>/", generation.needs_set, name="generate_needs"),
    path("rotas/<int:pk>/generate/run/", generation.run, name="generate_run"),
    path("rotas/<int:pk>/generate/again/", generation.again, name="generate_again"),
    path("rotas/<int:pk>/generate/stop/", generation.stop, name="generate_stop"),
    path("exception-reports/", reports.report_list, name="reports"),
    path("exception-reports/new/", reports.report_new, name="report_new"),
    path("exception-reports/<int:pk>/", reports.report_detail, name="report"),
    path("exception-reports/<int:pk>/outcome/", reports.report_outcome, name="report_outcome"),
    path("exception-reports/<int:pk>/fine/check/", reports.report_fine_check, name="report_fine_check"),
    path("exception-reports/<int:pk>/fine/", reports.report_fine, name="report_fine"),
    path("exception-reports/<int:pk>/fine/recorded/", reports.fine_recorded, name="fine_recorded"),
    path("guardian-report/", guardian.guardian_report, name="guardian_report"),
    path("guardian-report/pdf/", guardian.guardian_report_pdf, name="guardian_report_pdf"),
    # --- issue 32: publish ---
    path("rotas/<int:pk>/publish/", publication.publish, name="publish"),
    path("rotas/<int:pk>/publish/confirm/", publication.publish_confirm, name="publish_confirm"),
    path("rotas/<int:pk>/publications/<int:publication>/", publication.published, name="published"),
    # shift swaps (issue 32)
    path("swaps/", swaps.swap_list, name="swaps"),
    path("swaps/offer/<int:pk>/", swaps.swap_offer, name="swap_offer"),
    path("swaps/offer/<int:pk>/confirm/", swaps.swap_offer_confirm, name="swap_offer_confirm"),
    path("swaps/<int:pk>/", swap_decisions.swap_detail, name="swap"),
    path("swaps/<int:pk>/done/", swap_decisions.swap_done, name="swap_done"),
    path("swaps/<int:pk>/accept/check/", swap_decisions.swap_accept_check, name="swap_accept_check"),
    path("swaps/<int:pk>/accept/", swap_decisions.swap_accept, name="swap_accept"),
    path("swaps/<int:pk>/decline/", swap_decisions.swap_decline, name="swap_decline"),
    path("swaps/<int:pk>/withdraw/", swap_decisions.swap_withdraw, name="swap_withdraw"),
    path("swaps/<int:pk>/approve/check/", swap_decisions.swap_approve_check, name="swap_approve_check"),
    path("swaps/<int:pk>/approve/", swap_decisions.swap_approve, name="swap_approve"),
    path("swaps/<int:pk>/refuse/", swap_decisions.swap_refuse, name="swap_refuse"),
]
