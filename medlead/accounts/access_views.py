"""Access management on medlead's own pages (issue 29): a trust's system administrators find an account, see its
roles, person link and single sign-on link, and change them, each change with a reason, a check of the answers and
a confirmation of what happens next; a second approver decides the sensitive ones, and the trust's Caldicott
guardian sees them all. The Django admin covers reference data only."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from medlead.accounts import forms as f
from medlead.accounts import selectors, services
from medlead.accounts.models import AccessRequest, AccessTarget, User
from medlead.core.page_actions import act, errors_of
from medlead.core.policy import Perm, can, require
from medlead.core.views import changing, check_page
from medlead.organisation.models import Trust
from medlead.organisation.selectors import trust_for

SECTION = "access"
Result = User | AccessRequest | Any


@dataclass(frozen=True)
class Change:
    """One change an account page offers: its form, the service that makes it, and when it is offered."""

    form: type[f.AccessChange]
    save: Callable[[Any, User, Trust, Any], Result]
    offered: Callable[[User], bool]
    target: Callable[[User, Trust], AccessTarget]
    done: str  # what the confirmation says, for a change made at once


def _in_trust(account: User, trust: Trust) -> AccessTarget:
    return AccessTarget(account, trust=trust)


def _whole(account: User, trust: Trust) -> AccessTarget:
    return AccessTarget(account, trust=trust, whole_account=True)


def _grant(actor: Any, account: User, trust: Trust, form: Any) -> Result:
    data = form.cleaned_data
    return services.role_grant(actor=actor, user=account, role=data["role"], reason=data["reason"], **form.where())


def _remove(actor: Any, account: User, trust: Trust, form: Any) -> Result:
    grant = form.chosen()
    return services.role_revoke(
        actor=actor,
        user=account,
        role=grant.role,
        trust=grant.trust,
        region=grant.region,
        reason=form.cleaned_data["reason"],
    )


CHANGES: dict[str, Change] = {
    "grant-role": Change(
        f.GrantRole,
        _grant,
        lambda a: a.is_active,
        _in_trust,
        "The role is granted: it counts from the account's next page.",
    ),
    "remove-role": Change(
        f.RemoveRole,
        _remove,
        lambda a: bool(getattr(a, "roles_here", [])),
        _in_trust,
        "The role is removed: the account loses what it opened at once.",
    ),
    "link-person": Change(
        f.LinkPerson,
        lambda actor, a, t, form: services.person_link(
            actor=actor, user=a, person=form.cleaned_data["person"], reason=form.cleaned_data["reason"]
        ),
        lambda a: a.person_id is None,
        _in_trust,
        "The person is linked.",
    ),
    "unlink-person": Change(
        f.UnlinkPerson,
        lambda actor, a, t, form: services.person_unlink(actor=actor, user=a, reason=form.cleaned_data["reason"]),
        lambda a: a.person_id is not None,
        lambda a, t: AccessTarget(a, trust=a.person.trust if a.person else t),
        "The person is unlinked: the account no longer reaches that person's records.",
    ),
    "sign-on": Change(
        f.SetSignOn,
        lambda actor, a, t, form: services.sso_link(
            actor=actor, user=a, subject=form.cleaned_data["subject"], reason=form.cleaned_data["reason"], trust=t
        ),
        lambda a: True,
        _whole,
        "The single sign-on identifier is changed: it opens this account from the next sign-in.",
    ),
    "deactivate": Change(
        f.Deactivate,
        lambda actor, a, t, form: services.deactivate(actor=actor, user=a, reason=form.cleaned_data["reason"], trust=t),
        lambda a: a.is_active,
        _whole,
        "The account is deactivated: it cannot sign in, and its history is kept.",
    ),
    "reactivate": Change(
        f.Reactivate,
        lambda actor, a, t, form: services.reactivate(actor=actor, user=a, reason=form.cleaned_data["reason"], trust=t),
        lambda a: not a.is_active,
        _whole,
        "The account is active again.",
    ),
}


def _offered(actor: Any, account: User, trust: Trust) -> list[tuple[str, str]]:
    return [
        (slug, c.form.title)
        for slug, c in CHANGES.items()
        if c.offered(account) and can(actor, Perm.CHANGE_ACCESS, c.target(account, trust))
    ]


# ------------------------------------------------------------------------------------------------- pages


def accounts(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.MANAGE_ACCESS)
    search = f.AccountSearch(request.GET).values()["q"] or ""
    found = selectors.accounts(actor=request.user, trust=trust, search=search)
    rows = list(found[: selectors.PAGE + 1])
    return render(
        request,
        "accounts/access_accounts.jinja",
        {
            "current_trust": trust,
            "section": SECTION,
            "form": f.AccountSearch(request.GET),
            "accounts": rows[: selectors.PAGE],
            "more": len(rows) > selectors.PAGE,
            "search": search,
            "waiting": len(selectors.pending_for(actor=request.user, trust=trust)),
        },
    )


def account(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.MANAGE_ACCESS)
    found = selectors.account(actor=request.user, trust=trust, pk=pk)
    return render(
        request,
        "accounts/access_account.jinja",
        {
            "current_trust": trust,
            "section": SECTION,
            "account": found,
            "own": found.pk == request.user.pk,
            "changes": _offered(request.user, found, trust),
            "pending": found.access_requests.filter(status=AccessRequest.Status.PENDING).select_related(
                "person", "role_trust", "role_region"
            ),
        },
    )


def _change_context(request: HttpRequest, trust_code: str, pk: int, change: str) -> tuple[Trust, User, Change]:
    trust = trust_for(request.user, trust_code, Perm.MANAGE_ACCESS)
    found = selectors.account(actor=request.user, trust=trust, pk=pk)
    what = CHANGES.get(change)
    if what is None or not what.offered(found):
        raise Http404("No such change.")
    # the policy decides, here as in the service: a refusal says what (never one's own account)
    require(request.user, Perm.CHANGE_ACCESS, what.target(found, trust))
    return trust, found, what


def _form_page(request: HttpRequest, trust: Trust, account: User, change: str, form: Any) -> HttpResponse:
    return render(
        request,
        "accounts/access_change.jinja",
        {"current_trust": trust, "section": SECTION, "account": account, "form": form, "change": change},
    )


def change_form(request: HttpRequest, trust_code: str, pk: int, change: str) -> HttpResponse:
    """The change's questions (GET); its answers checked (POST): the check page, or the questions with errors."""
    trust, found, what = _change_context(request, trust_code, pk, change)
    if request.method != "POST":
        return _form_page(request, trust, found, change, what.form(actor=request.user, account=found, trust=trust))
    form = what.form(request.POST, actor=request.user, account=found, trust=trust)
    if not form.is_valid() or changing(request):
        if form.is_valid():
            form = what.form(initial=form.cleaned_data, actor=request.user, account=found, trust=trust)
        return _form_page(request, trust, found, change, form)
    name = found.username + (f" ({found.get_full_name()})" if found.get_full_name() else "")
    return check_page(
        request,
        trust=trust,
        section=SECTION,
        doing=form.title.lower(),
        facts=[("Account", name)],
        rows=form.answers(),
        form=form,
        confirm_url=reverse(
            "access:change_confirm", kwargs={"trust_code": trust.code, "pk": found.pk, "change": change}
        ),
        change_url=reverse("access:change", kwargs={"trust_code": trust.code, "pk": found.pk, "change": change}),
        says=[
            "Confirming makes the change now or, when it opens confidential records, asks a second authorised "
            "person to approve it: nothing changes until they do."
        ],
        change_posts=True,
    )


@require_POST
def change_confirm(request: HttpRequest, trust_code: str, pk: int, change: str) -> HttpResponse:
    """The checked answers, confirmed: the change is made, or asked for when it waits for a second approver."""
    trust, found, what = _change_context(request, trust_code, pk, change)
    form = what.form(request.POST, actor=request.user, account=found, trust=trust)

    def done(result: Result) -> HttpResponse:
        if isinstance(result, AccessRequest):
            return redirect("access:request", trust_code=trust.code, pk=result.pk)
        return redirect("access:account", trust_code=trust.code, pk=found.pk)

    def saved(result: Result) -> str:
        if isinstance(result, AccessRequest):
            return (
                "Request sent. It opens confidential records, so nothing changes until a second authorised person "
                "approves it: another system administrator covering it or, for a trust, its Caldicott guardian, "
                "who has been told by email. You cannot approve it yourself."
            )
        return what.done

    return act(
        request,
        form,
        save=lambda data: what.save(request.user, found, trust, form),
        done=done,
        page=lambda bad: _form_page(request, trust, found, change, bad),
        saved=saved,
    )


# ---------------------------------------------------------------------------------------------- requests


def requests(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.VIEW_ACCESS_REQUESTS)
    return render(
        request,
        "accounts/access_requests.jinja",
        {"current_trust": trust, "section": SECTION, "requests": selectors.requests(actor=request.user, trust=trust)},
    )


def _request_page(
    request: HttpRequest,
    trust: Trust,
    req: AccessRequest,
    *,
    approve: Any = None,
    refuse: Any = None,
    withdraw: Any = None,
) -> HttpResponse:
    return render(
        request,
        "accounts/access_request.jinja",
        {
            "current_trust": trust,
            "section": SECTION,
            "req": req,
            "approve": approve or f.Decision(),
            "refuse": refuse or f.Refusal(),
            "withdraw": withdraw or f.Decision(),
            "errors": errors_of(refuse) + errors_of(approve) + errors_of(withdraw),
        },
    )


def access_request(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = trust_for(request.user, trust_code)
    return _request_page(request, trust, selectors.request(actor=request.user, trust=trust, pk=pk))


def _decide(
    request: HttpRequest,
    trust_code: str,
    pk: int,
    form_class: type[Any],
    decide: Callable[..., AccessRequest],
    said: str,
    slot: str,
) -> HttpResponse:
    trust = trust_for(request.user, trust_code)
    req = selectors.request(actor=request.user, trust=trust, pk=pk)
    form = form_class(request.POST)
    return act(
        request,
        form,
        save=lambda data: decide(actor=request.user, req=req, note=data["note"]),
        done=lambda _: redirect("access:request", trust_code=trust.code, pk=req.pk),
        page=lambda bad: _request_page(request, trust, req, **{slot: bad}),
        saved=said,
    )


@require_POST
def request_approve(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    return _decide(
        request,
        trust_code,
        pk,
        f.Decision,
        services.request_approve,
        "Approved: the change is made now, in your name. The person who asked has been told.",
        "approve",
    )


@require_POST
def request_refuse(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    return _decide(
        request,
        trust_code,
        pk,
        f.Refusal,
        services.request_refuse,
        "Refused: nothing changes. The person who asked has been told, with your reason.",
        "refuse",
    )


@require_POST
def request_withdraw(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    return _decide(
        request,
        trust_code,
        pk,
        f.Decision,
        services.request_withdraw,
        "Withdrawn: nothing changes.",
        "withdraw",
    )
