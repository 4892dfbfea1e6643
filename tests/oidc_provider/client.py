"""Drive a sign-in through the test provider as a browser would: medlead's start page, the provider's own sign-in
form, and back to medlead's callback."""

import re

import requests

from tests.oidc_provider.serve import PASSWORD


def sign_in(session: requests.Session, medlead_url: str, username: str, next_path: str = "/") -> requests.Response:
    """Returns medlead's last answer (the page after the callback, or its refusal)."""
    form = session.get(f"{medlead_url}/accounts/sso/", params={"next": next_path}, timeout=30)
    form.raise_for_status()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
    following = re.search(r'name="next" value="([^"]*)"', form.text)
    assert token and following, f"not the provider's sign-in form: {form.url}"
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
