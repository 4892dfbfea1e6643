"""The person picker in a browser: type part of a name, choose from the suggestions, save."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from medlead.organisation.models import Person
from medlead.structure.models import Holding, Post
from tests.browser.conftest import assert_accessible, fill_date, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_medical_director_picks_a_post_holder_by_typing(page: Any, demo: None) -> None:
    posts = Post.objects.filter(trust__code="DEM001")  # the demo trust's, not its region's neighbours'
    post = posts.filter(holdings__isnull=True).first() or posts.first()
    assert post is not None
    person = Person.objects.filter(trust__code="DEM001", kind="doctor").exclude(gmc_number="").order_by("pk")[5]
    sign_in(page, "md")
    page.wait_for_url("**/t/DEM001/")
    page.goto(f"/t/DEM001/structure/posts/{post.pk}/holders/new/")
    box = page.get_by_label("Person")
    box.press_sequentially(f"{person.first_name} {person.last_name}", delay=20)
    choice = page.locator(".ml-pick", has_text=person.gmc_number)
    choice.wait_for()
    assert_accessible(page)
    choice.click()
    assert box.input_value() == f"{person.display_name} (GMC {person.gmc_number})"
    fill_date(page, "Start", dt.date(2026, 4, 1))
    page.get_by_role("button").filter(has_text="Save").or_(page.get_by_role("button", name="Add")).first.click()
    page.wait_for_load_state()
    assert Holding.objects.filter(post=post, person=person).exists()
