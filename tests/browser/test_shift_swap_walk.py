"""Issue 32 at 375 px: `resident` offers a shift to `resident2`, who accepts it after the rota's rules are checked for
both; `hr` approves it through "Check your answers", and the rota's grid shows the shift with its new doctor."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from medlead.accounts.models import User
from medlead.rota.models import Duty, ShiftSwap
from medlead.rota.swaps import check_swap, in_return_choices, offerable_duties, shift_eligibility
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 375, "height": 812}
WIDTH = "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"


def _fits(page: Any) -> None:
    assert page.evaluate(WIDTH) <= PHONE["width"], page.url
    assert_accessible(page)


def _a_clean_offer(resident: Any, resident2: Any) -> tuple[Duty, Duty | None]:
    """The first of resident's shifts that resident2 may take, given away or for their shift of the same day, that
    the engine finds breaks no rule (the demo's own swap already uses the first such day's shifts)."""
    for duty in offerable_duties(resident):
        day = timezone.localtime(duty.start).date()
        backs = [d for d in in_return_choices(duty, resident2) if timezone.localtime(d.start).date() == day]
        for back in [None, *backs]:
            trial = ShiftSwap(
                trust_id=duty.trust_id,
                rota=duty.rota,
                offered_by=resident,
                duty=duty,
                duty_start=duty.start,
                duty_end=duty.end,
                to=resident2,
                in_return=back,
                in_return_start=back.start if back else None,
                in_return_end=back.end if back else None,
            )
            eligible = resident2.grade in shift_eligibility(duty).grades
            if eligible and check_swap(trial, resident2).clean:
                return duty, back
    raise AssertionError("no shift of resident's that resident2 may take")


def test_a_swap_from_offer_to_approval_on_a_phone(browser: Any, live_server: Any, demo: None) -> None:
    resident, resident2 = (User.objects.get(username=u).person for u in ("resident", "resident2"))
    assert resident is not None and resident2 is not None
    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    page = context.new_page()
    sign_in(page, "resident")
    page.wait_for_url("**/t/DEM001/")
    page.goto("/t/DEM001/swaps/")
    page.get_by_role("heading", name="Shift swaps", level=1).wait_for()
    _fits(page)
    duty, back = _a_clean_offer(resident, resident2)
    page.goto(f"/t/DEM001/swaps/offer/{duty.pk}/")
    page.get_by_role("heading", name="Offer your shift").wait_for()
    _fits(page)
    page.get_by_label("Who do you offer it to?").select_option(str(resident2.pk))
    if back is not None:
        page.get_by_label("One of their shifts: a swap").check()
        page.get_by_label("Which of their shifts do you take in return?").select_option(str(back.pk))
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Check your answers before you offer this shift").wait_for()
    _fits(page)
    page.get_by_role("button", name="Offer the shift").click()
    page.get_by_role("heading", name="Shift offered").wait_for()
    _fits(page)
    swap = ShiftSwap.objects.get(duty=duty, status="offered")
    context.close()

    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    page = context.new_page()
    sign_in(page, "resident2")
    page.wait_for_url("**/t/DEM001/")
    page.goto(f"/t/DEM001/swaps/{swap.pk}/")
    page.get_by_text("Breaks no rule").wait_for()
    _fits(page)
    page.get_by_role("button", name="Accept the shift").click()
    page.get_by_role("heading", name="Check your answers before you accept this shift").wait_for()
    _fits(page)
    page.get_by_role("button", name="Accept the shift").click()
    page.get_by_role("heading", name="Shift accepted").wait_for()
    context.close()

    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    page = context.new_page()
    sign_in(page, "hr")
    page.wait_for_url("**/t/DEM001/")
    page.get_by_role("link", name="shift swaps waiting for your approval").click()
    page.get_by_role("link", name=f"{resident.display_name} to {resident2.display_name}").first.wait_for()
    _fits(page)
    page.goto(f"/t/DEM001/swaps/{swap.pk}/")
    page.get_by_role("button", name="Approve the swap").click()
    page.get_by_role("heading", name="Check your answers before you approve this swap").wait_for()
    _fits(page)
    page.get_by_role("button", name="Approve the swap").click()
    page.get_by_role("heading", name="Swap approved").wait_for()
    _fits(page)
    assert Duty.objects.get(pk=duty.pk).person_id == resident2.pk
    week = timezone.localtime(duty.start).date().isoformat()
    page.goto(f"/t/DEM001/rotas/{duty.rota_id}/?week={week}")
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=resident2.display_name))
    assert row.get_by_text(f"{timezone.localtime(duty.start):%H:%M}").count() >= 1
    context.close()
