"""The API's settings: dyad's Settings plus keys and limits, filled from DYAD_* variables in one place."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from dyad.settings import Settings

__all__ = ["ApiSettings"]


@dataclass(frozen=True)
class ApiSettings:
    """What the server runs with: the store and coder settings, the API keys that may write, and its limits."""

    core: Settings = field(default_factory=Settings)
    api_keys: tuple[str, ...] = ()  # empty: writing is disabled
    max_body_bytes: int = 10 * 1024 * 1024  # one POST
    max_batch: int = 1000  # articles in one POST
    page_size: int = 50  # items per page when `limit` is not given
    max_page_size: int = 500

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> "ApiSettings":
        """Defaults, then DYAD_API_KEYS (comma-separated), DYAD_API_MAX_BODY_BYTES, DYAD_API_MAX_BATCH,
        DYAD_API_MAX_PAGE_SIZE and the core DYAD_* variables, then explicit overrides that are not None."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {"core": Settings.from_env(env)}
        keys = tuple(k.strip() for k in env.get("DYAD_API_KEYS", "").split(",") if k.strip())
        if keys:
            values["api_keys"] = keys
        for name in ("max_body_bytes", "max_batch", "max_page_size"):
            raw = env.get(f"DYAD_API_{name.upper()}")
            if raw:
                values[name] = int(raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return replace(cls(), **values)
