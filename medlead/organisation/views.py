from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from medlead.core.dates import today
from medlead.core.policy import Perm, can, require
from medlead.organisation import selectors, services
from medlead.organisation.forms import PeopleQuery, PersonForm
from medlead.organisation.models import Division, Grade, Person


def about(request: HttpRequest, trust_code: str) -> HttpResponse:
    """What the trust is: its board, its board committees, and its divisions with their specialties and doctors."""
    trust = selectors.trust_for(request.user, trust_code)
    shown = selectors.about(trust, today())
    return render(
        request,
        "organisation/about.jinja",
        {
            "current_trust": trust,
            "section": "trust",
            "divisions": shown.divisions,
            "board": shown.board,
            "committees": shown.committees,
            "sees_people": can(request.user, Perm.VIEW_PEOPLE, trust),
        },
    )


def people(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = selectors.trust_for(request.user, trust_code, Perm.VIEW_PEOPLE)
    query = PeopleQuery(request.GET).values()
    search, grade = query["q"] or "", query["grade"] or ""
    division = str(query["division"] or "")  # as the template compares it with each division's id
    qs = selectors.people(trust=trust, search=search, division_id=query["division"], grade=grade)
    page = Paginator(qs, 50).get_page(query["page"])
    # htmx asks for the results only, as the user types; without JavaScript the Filter button loads the page
    template = "organisation/_people_results.jinja" if getattr(request, "htmx", False) else "organisation/people.jinja"
    return render(
        request,
        template,
        {
            "current_trust": trust,
            "section": "people",
            "page": page,
            "search": search,
            "division": division,
            "grade": grade,
            "divisions": Division.objects.filter(trust=trust),
            "grades": Grade.choices,
            "can_manage": can(request.user, Perm.MANAGE_PEOPLE, trust),
        },
    )


def person_detail(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = selectors.trust_for(request.user, trust_code)
    person = get_object_or_404(Person.objects.select_related("specialty__division", "trust"), trust=trust, pk=pk)
    require(request.user, Perm.VIEW_PERSON, person)
    holdings = list(person.holdings.select_related("post__post_type").order_by("-start"))
    day = today()
    today_holdings = {h.pk for h in holdings if h.is_current(day)}
    return render(
        request,
        "organisation/person_detail.jinja",
        {
            "current_trust": trust,
            "section": "people",
            "person": person,
            "holdings": holdings,
            "current_ids": today_holdings,
            "personal": can(request.user, Perm.VIEW_PERSONAL_DETAILS, person),
            "can_manage": can(request.user, Perm.MANAGE_PEOPLE, trust),
        },
    )


def person_edit(request: HttpRequest, trust_code: str, pk: int | None = None) -> HttpResponse:
    trust = selectors.trust_for(request.user, trust_code, Perm.MANAGE_PEOPLE)
    person = get_object_or_404(Person, trust=trust, pk=pk) if pk else None
    form = PersonForm(request.POST or None, instance=person, trust=trust)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            if person is None:
                person = services.person_create(actor=request.user, trust=trust, **data)
                messages.success(request, f"{person} added.")
            else:
                person = services.person_update(actor=request.user, person=person, **data)
                messages.success(request, f"{person} updated.")
            return redirect("organisation:person", trust_code=trust.code, pk=person.pk)
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(
        request,
        "organisation/person_form.jinja",
        {"current_trust": trust, "section": "people", "form": form, "person": person},
    )
