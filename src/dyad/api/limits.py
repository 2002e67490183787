"""What keeps a shared server usable: a rate limit per client address, a bound on request time, security headers.

`Guard` is one plain ASGI layer around the whole app (cheaper than three BaseHTTPMiddleware layers): it answers
429 when a client has used up its bucket, 503 when a request runs past the time limit, and adds the security
headers to every response it passes on. `TokenBucket` is its pure part, testable with a fake clock.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping

from starlette.datastructures import MutableHeaders
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["Guard", "TokenBucket"]

log = logging.getLogger("dyad.api")


class TokenBucket:
    """Per-key token buckets: `rate` tokens a second, at most `burst` saved up; each request takes one.

    At most `max_keys` buckets are kept; the least recently seen go first (a client that comes back after that
    starts with a full bucket, as it would have after waiting).
    """

    def __init__(self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic,
                 max_keys: int = 10_000) -> None:
        """A limiter allowing `rate` requests a second per key with bursts of `burst`."""
        if rate <= 0 or burst < 1:
            raise ValueError("a token bucket needs a positive rate and a burst of at least 1")
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._max_keys = max_keys
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # key -> (tokens, when)

    def take(self, key: str) -> float:
        """Take a token for `key`: 0.0 if there was one, else the seconds until there will be."""
        now = self._clock()
        tokens, when = self._buckets.pop(key, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - when) * self.rate)
        wait = 0.0
        if tokens >= 1.0:
            tokens -= 1.0
        else:
            wait = (1.0 - tokens) / self.rate
        self._buckets[key] = (tokens, now)
        if len(self._buckets) > self._max_keys:
            self._buckets.popitem(last=False)
        return wait


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": message, "status": status}, status_code=status, headers=headers)


class Guard:
    """ASGI layer: rate limit per client address, time limit per request, security headers on every response."""

    def __init__(self, app: ASGIApp, headers: Mapping[str, str], limiter: TokenBucket | None = None,
                 timeout: float | None = None) -> None:
        """Wrap `app`; no limiter means no rate limit, no timeout means no time limit."""
        self.app = app
        self.headers = dict(headers)
        self.limiter = limiter
        self.timeout = timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = MutableHeaders(scope=message)
                for name, value in self.headers.items():
                    headers.setdefault(name, value)
            await send(message)

        client = scope.get("client")
        host = client[0] if client else "unknown"
        if self.limiter is not None:
            wait = self.limiter.take(host)
            if wait > 0:
                retry = max(1, round(wait + 0.5))
                response = _error(429, f"too many requests from {host}: this server takes {self.limiter.rate:g} a "
                                       f"second (bursts of {self.limiter.burst}); retry after {retry} s",
                                  {"Retry-After": str(retry)})
                await response(scope, receive, send_with_headers)
                return
        if not self.timeout:
            await self.app(scope, receive, send_with_headers)
            return
        try:
            async with asyncio.timeout(self.timeout):
                await self.app(scope, receive, send_with_headers)
        except TimeoutError:
            log.warning("%s %s took longer than %g s", scope.get("method"), scope.get("path"), self.timeout)
            if started:  # the answer is half sent: all that can be done is to stop
                return
            response = _error(503, f"the request took longer than {self.timeout:g} s, the most this server allows; "
                                   "a POST may still be stored: sending it again is safe (stored articles are "
                                   "recognised by their text)", {"Retry-After": "5"})
            await response(scope, receive, send_with_headers)
