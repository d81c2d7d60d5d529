"""A real OpenID Connect provider on 127.0.0.1 for the tests of signing in with a council account (oidc-provider-mock,
served by waitress from a thread), which a test can make misbehave: its ID tokens re-signed with other claims, with
a key of nobody's, or swapped for one it issued before."""

import json
import os

import requests
from flask import g, request
from joserfc import jwt
from joserfc.jwk import RSAKey

from tests.servers import ServerThread

CLIENT_ID = "case-file-audit"
CLIENT_SECRET = "loopback client secret"


class Provider:
    """`issued` are the ID tokens it has issued, in order. Set `claims` to a function changing an ID token's claims
    (re-signed with the provider's key), `forge` to sign them with a key the provider never published, or `replay` to
    an ID token to send instead of the one it issued; `reset()` makes it behave again."""

    def __init__(self):
        # Imported here, while a test runs: the import warns of the Authlib modules it uses, which Authlib asks always
        # to be shown, and only a running test's warning filters (pyproject.toml) come before that.
        import oidc_provider_mock

        # Authlib refuses OAuth over plain HTTP unless told otherwise, and a loopback provider has no certificate.
        os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"
        self.app = oidc_provider_mock.app(require_nonce=True)
        self.app.after_request(self.misbehave)
        self.issued = []
        self.reset()
        self.server = ServerThread(self.app)
        self.url = self.server.url

    def reset(self):
        self.claims, self.forge, self.replay = None, False, None

    def settings(self, **config):
        """The app's settings to sign in with this provider."""
        return {
            "OIDC_METADATA_URL": f"{self.url}/.well-known/openid-configuration",
            "OIDC_CLIENT_ID": CLIENT_ID,
            "OIDC_CLIENT_SECRET": CLIENT_SECRET,
            **config,
        }

    def set_user(self, subject, **claims):
        """The claims the provider gives the person it knows as `subject` (without, their email is the subject)."""
        requests.put(f"{self.url}/users/{subject}", json=claims, timeout=10).raise_for_status()

    def authorise(self, authorisation_url, subject):
        """The person `subject` agrees at the provider's page: the address it sends them back to, with a code."""
        answer = requests.post(authorisation_url, data={"sub": subject}, allow_redirects=False, timeout=10)
        assert answer.status_code == 302, answer.text
        return answer.headers["Location"]

    def misbehave(self, response):
        if request.path != "/oauth2/token" or response.status_code != 200:
            return response
        token = response.get_json()
        self.issued.append(token["id_token"])
        key = RSAKey.import_key(g.oidc_provider_mock_storage.jwk.as_dict(is_private=True))
        if self.replay:
            token["id_token"] = self.replay
        elif self.claims or self.forge:
            issued = jwt.decode(token["id_token"], key)
            claims = self.claims(dict(issued.claims)) if self.claims else issued.claims
            signer = RSAKey.generate_key(2048, {"kid": key.kid}) if self.forge else key
            token["id_token"] = jwt.encode(issued.header, claims, signer)
        response.set_data(json.dumps(token))
        return response

    def stop(self):
        self.server.stop()
