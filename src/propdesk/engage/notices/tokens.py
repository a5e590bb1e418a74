"""The per-household link of a notice: /portal/n/<token>/ opens it and counts as read, without signing in.

Only the SHA-256 of a token is stored in the clear (NoticeRecipient.digest, the lookup key); the token
itself is kept sealed with the data key (core.crypto.seal) so that a re-send carries the same link, and
it leaves the building only inside the message, as a core.sensitive.Secret (notify stores it masked).
"""

import hashlib
import secrets
from functools import lru_cache

from django.conf import settings
from django.urls import reverse

from propdesk.core import crypto
from propdesk.core.sensitive import SECRET_SHOWN, Secret


def new() -> tuple[str, str, str]:
    """(token, digest, sealed) for a new recipient."""
    token = secrets.token_urlsafe(16)  # 128 bits; short enough for one SMS with its link
    return token, digest(token), crypto.seal(token)


def digest(token: str) -> str:
    return hashlib.sha256((token or "").encode()).hexdigest()


def link(sealed: str) -> Secret | None:
    """The household's link as a Secret (clear for the delivery, masked everywhere else), or None when the
    token is gone (the notice was read or withdrawn)."""
    if not sealed:
        return None
    return link_of(crypto.unseal(sealed))


def link_of(token: str) -> Secret:
    """The link of a clear token (a fan-out that has just made it need not unseal it again)."""
    base = settings.NOTIFY_SITE_URL.rstrip("/")
    head, tail = _path_around_token()
    return Secret(f"{base}{head}{token}{tail}", shown=f"{base}{head}{SECRET_SHOWN}{tail}")


@lru_cache(maxsize=1)
def _path_around_token() -> tuple[str, str]:
    """The link's path before and after the token, resolved once per process rather than once per household
    (reverse() costs ten times the unsealing; bench/notice_fanout.py)."""
    marker = "0" * 22
    path = reverse("portal:notice_by_token", kwargs={"token": marker})
    head, _marker, tail = path.partition(marker)
    return head, tail
