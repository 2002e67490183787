"""The API's settings: dyad's Settings plus keys and limits, filled from DYAD_* variables in one place."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from dyad.settings import Settings

__all__ = ["ApiSettings", "key_digest"]

_DIGEST = re.compile(r"sha256:([0-9a-fA-F]{64})")


def key_digest(key: str) -> bytes:
    """The SHA-256 digest an API key is compared by: given as `sha256:HEX`, or computed from a plain key."""
    if key[:7].lower() == "sha256:":
        found = _DIGEST.fullmatch("sha256:" + key[7:])
        if found is None:
            raise ValueError(f"API key {key[:12]}... starts with sha256: but is not followed by 64 hex digits")
        return bytes.fromhex(found.group(1))
    return hashlib.sha256(key.encode("utf-8")).digest()


@dataclass(frozen=True)
class ApiSettings:
    """What the server runs with: the store and coder settings, the API keys that may write, and its limits.

    `api_keys` are plain keys or `sha256:HEX` digests of keys (so the configuration need not hold the keys
    themselves); `key_digests` is what requests are checked against.
    """

    core: Settings = field(default_factory=Settings)
    api_keys: tuple[str, ...] = ()  # empty: writing is disabled
    max_body_bytes: int = 10 * 1024 * 1024  # one POST
    max_batch: int = 1000  # articles in one POST
    page_size: int = 50  # items per page when `limit` is not given
    max_page_size: int = 500
    rate_limit: float = 50.0  # requests a second per client address; 0: no limit
    rate_burst: int = 200  # requests a client may make at once before the rate applies
    request_timeout: float = 60.0  # seconds a request may take; 0: no limit
    max_connections: int = 500  # open connections uvicorn serves at once; more are answered 503
    cors_origins: tuple[str, ...] = ()  # empty: no cross-origin requests allowed
    shelf: str = "auto"  # answers shared by the server's processes: auto (beside a SQLite store), off, or a file

    def __post_init__(self) -> None:
        # Computed once, here, so a malformed digest fails at start-up rather than on the first write.
        object.__setattr__(self, "_digests", tuple(key_digest(k) for k in self.api_keys))

    @property
    def key_digests(self) -> tuple[bytes, ...]:
        """SHA-256 digests of the keys that may write."""
        return self._digests  # type: ignore[attr-defined]

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> "ApiSettings":
        """Defaults, then DYAD_API_KEYS and DYAD_API_CORS_ORIGINS (comma-separated), DYAD_API_MAX_BODY_BYTES,
        DYAD_API_MAX_BATCH, DYAD_API_MAX_PAGE_SIZE, DYAD_API_RATE_LIMIT, DYAD_API_RATE_BURST,
        DYAD_API_REQUEST_TIMEOUT, DYAD_API_MAX_CONNECTIONS, DYAD_API_SHELF and the core DYAD_* variables, then explicit
        overrides that are not None."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {"core": Settings.from_env(env)}
        for name, variable in (("api_keys", "DYAD_API_KEYS"), ("cors_origins", "DYAD_API_CORS_ORIGINS")):
            items = tuple(k.strip() for k in env.get(variable, "").split(",") if k.strip())
            if items:
                values[name] = items
        for name, cast in (("max_body_bytes", int), ("max_batch", int), ("max_page_size", int),
                           ("rate_limit", float), ("rate_burst", int), ("request_timeout", float),
                           ("max_connections", int), ("shelf", str)):
            raw = env.get(f"DYAD_API_{name.upper()}")
            if raw:
                values[name] = cast(raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return replace(cls(), **values)
