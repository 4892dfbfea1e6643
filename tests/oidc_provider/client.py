"""Drive a sign-in through the test provider as a browser would: medlead's start page, the provider's own sign-in
form, and back to medlead's callback."""

import re
from collections.abc import Callable

import requests

from tests.oidc_provider.serve import PASSWORD


def sign_in(
    session: requests.Session,
    medlead_url: str,
    username: str,
    next_path: str = "/",
    meanwhile: Callable[[], None] | None = None,
) -> requests.Response:
    """Returns medlead's last answer (the page after the callback, or its refusal). ``meanwhile`` runs while the
    provider's sign-in form is open (to change something between medlead's start and its callback)."""
    form = session.get(f"{medlead_url}/accounts/sso/", params={"next": next_path}, timeout=30)
    form.raise_for_status()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
    following = re.search(r'name="next" value="([^"]*)"', form.text)
    assert token and following, f"not the provider's sign-in form: {form.url}"
    if meanwhile is not None:
        meanwhile()
    return session.post(
        form.url,
        data={
            "csrfmiddlewaretoken": token.group(1),
            "username": username,
            "password": PASSWORD,
            "next": following.group(1).replace("&amp;", "&"),
        },
        timeout=30,
    )
