"""Who may read and who may write: reading is open to clients on this machine, writing needs an API key."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from ipaddress import ip_address

from fastapi import HTTPException, Request

from dyad.api.config import key_digest

__all__ = ["ApiError", "is_loopback", "key_matches", "presented_key", "require_reader", "require_writer"]

_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="dyad"'}
_HOW = "send it as 'Authorization: Bearer KEY' or 'X-API-Key: KEY'"


class ApiError(HTTPException):
    """An error answered as JSON {"error": message, "status": code}."""


def is_loopback(host: str | None) -> bool:
    """Whether a client address is this machine (127.0.0.0/8, ::1)."""
    if not host:
        return False
    if host == "localhost":
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:  # not an address (a unix socket path, a test client's name)
        return False


def presented_key(request: Request) -> str | None:
    """The key a request carries in `Authorization: Bearer KEY` or `X-API-Key`, if any."""
    auth = request.headers.get("authorization", "")
    scheme, _, value = auth.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return request.headers.get("x-api-key", "").strip() or None


def key_matches(given: str, keys: Sequence[str | bytes]) -> bool:
    """Whether `given` is one of `keys` (plain keys, `sha256:HEX` digests, or digests as bytes).

    The SHA-256 digest of `given` is compared with every key's digest in constant time, always all of them,
    so neither the time taken nor the configuration reveals a key.
    """
    digest = hashlib.sha256(given.encode("utf-8", "surrogatepass")).digest()
    found = False
    for key in keys:
        found |= hmac.compare_digest(digest, key if isinstance(key, bytes) else key_digest(key))
    return found


def _check_key(request: Request, digests: Sequence[bytes], action: str) -> None:
    given = presented_key(request)
    if given is None:
        raise ApiError(401, f"{action} needs an API key: {_HOW}", headers=_CHALLENGE)
    if not key_matches(given, digests):
        raise ApiError(401, "the API key is not valid", headers=_CHALLENGE)


async def require_writer(request: Request) -> None:
    """Dependency of every writing endpoint: a valid key from DYAD_API_KEYS, or 401 (403 when none is set)."""
    digests = request.app.state.services.settings.key_digests
    if not digests:
        raise ApiError(403, "writing is disabled on this server: it was started without DYAD_API_KEYS")
    _check_key(request, digests, "writing")


async def require_reader(request: Request) -> None:
    """Dependency of every reading endpoint: open to loopback clients, others need a valid key."""
    client = request.client.host if request.client else None
    if is_loopback(client):
        return
    _check_key(request, request.app.state.services.settings.key_digests, "reading from another machine")
