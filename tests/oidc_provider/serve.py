"""Start the test OpenID Connect provider: ``python -m tests.oidc_provider.serve PORT REDIRECT_URI [...]``.

It creates its database, an RSA signing key, the client ``medlead`` (secret ``medlead-secret``) allowed to send
the browser back to each REDIRECT_URI (and, after signing out at the provider, to ``/accounts/signed-out/`` on
the same server), and people who may sign in (password ``provider-pass``): ``ada``,
``unlinked``, ``wrong-audience`` and ``expired``. Then it serves on 127.0.0.1:PORT until killed."""

import os
import sys
import tempfile
from urllib.parse import urljoin

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

CLIENT_ID = "medlead"
CLIENT_SECRET = "medlead-secret"
PASSWORD = "provider-pass"
PEOPLE = ("ada", "unlinked", "wrong-audience", "expired")


def main() -> None:
    port, redirects = int(sys.argv[1]), sys.argv[2:]
    workdir = tempfile.mkdtemp(prefix="oidc-provider-")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    os.environ["OIDC_PROVIDER_KEY"] = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    os.environ["OIDC_PROVIDER_DB"] = os.path.join(workdir, "provider.sqlite3")
    os.environ["OIDC_PROVIDER_ISSUER"] = f"http://127.0.0.1:{port}/o"
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0)
    for name in PEOPLE:
        User.objects.create_user(name, f"{name}@example.nhs.uk", PASSWORD, first_name=name.title(), last_name="Test")
    Application.objects.create(
        name="medlead",
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=" ".join(redirects),
        post_logout_redirect_uris=" ".join(urljoin(r, "/accounts/signed-out/") for r in redirects),
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    call_command("runserver", f"127.0.0.1:{port}", use_reloader=False, use_threading=True, verbosity=0)


if __name__ == "__main__":
    main()
