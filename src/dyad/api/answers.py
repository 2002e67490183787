"""Answers kept while the store stays the same: each is computed once per store version, however many ask.

A read endpoint's answer depends only on its parameters and on what the store holds, and dyad only ever adds
rows; so an answer is kept under the store's version (`Store.version`) and dropped when the version moves on.
Requests that arrive while the same answer is being computed wait for it instead of computing it again: fifty
clients asking for one network cost one network. Without a version (PostgreSQL) everything is computed afresh.
With a shelf (api/shelf.py) the processes of one server share their answers, and keep them across restarts.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Collection, Hashable
from concurrent.futures import Future
from typing import Generic, TypeVar

import anyio.to_thread
from anyio import CapacityLimiter
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dyad.api.auth import is_loopback
from dyad.api.shelf import AnswerShelf

__all__ = ["AnswerCache", "KeptRequests", "answer"]

_T = TypeVar("_T")


class AnswerCache(Generic[_T]):
    """At most `max_entries` answers (and `max_bytes` of bytes answers) of one store version, least recently
    used dropped first; thread-safe."""

    def __init__(self, max_entries: int = 4096, max_bytes: int = 64 * 1024 * 1024,
                 shelf: Callable[[], AnswerShelf | None] | None = None) -> None:
        """An empty cache; `shelf` opens (on the first computation) the answers shared with other processes."""
        self.max_entries = max_entries
        self._open_shelf = shelf
        self._shelf: AnswerShelf | None = None
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._version: Hashable | None = None
        self._kept: OrderedDict[Hashable, tuple[_T, int]] = OrderedDict()
        self._bytes = 0
        self._pending: dict[Hashable, Future[_T]] = {}

    def __len__(self) -> int:
        return len(self._kept)

    def peek(self, version: Hashable | None, key: Hashable) -> _T | None:
        """The answer kept for `key` at `version`, or None (never waits, never computes)."""
        if version is None:
            return None
        with self._lock:
            kept = self._kept.get(key) if version == self._version else None
            if kept is None:
                return None
            self._kept.move_to_end(key)
            return kept[0]

    def get(self, version: Hashable | None, key: Hashable, compute: Callable[[], _T], share: bool = True) -> _T:
        """The answer for `key` at `version`: kept, being computed by another request, or computed now (with
        `share`, through the shelf: by this process or another)."""
        if version is None:
            return compute()
        with self._lock:
            if version != self._version:
                self._kept.clear()
                self._bytes = 0
                self._pending.clear()  # computations of the old version still finish, but are not shared
                self._version = version
            kept = self._kept.get(key)
            if kept is not None:
                self._kept.move_to_end(key)
                return kept[0]
            waiting = self._pending.get(key)
            if waiting is None:
                mine: Future[_T] = Future()
                self._pending[key] = mine
        if waiting is not None:
            return waiting.result()
        try:
            shelf = self._shared() if share else None
            value = compute() if shelf is None else shelf.compute(version, key, compute)  # type: ignore[arg-type]
        except BaseException as exc:
            mine.set_exception(exc)
            raise
        finally:
            with self._lock:
                if self._pending.get(key) is mine:
                    del self._pending[key]
        mine.set_result(value)
        self._keep(version, key, value)
        return value

    def _shared(self) -> AnswerShelf | None:
        if self._open_shelf is not None:
            with self._lock:
                if self._open_shelf is not None:
                    self._shelf, self._open_shelf = self._open_shelf(), None
        return self._shelf

    def keep(self, version: Hashable | None, key: Hashable, value: _T) -> None:
        """Keep an answer computed elsewhere for `key` at `version` (nothing without a version)."""
        if version is not None:
            self._keep(version, key, value)

    def _keep(self, version: Hashable, key: Hashable, value: _T) -> None:
        size = len(value) if isinstance(value, (bytes, bytearray)) else 0
        if size > self.max_bytes:
            return
        with self._lock:
            if version != self._version or key in self._kept:
                return
            self._kept[key] = (value, size)
            self._bytes += size
            while len(self._kept) > self.max_entries or self._bytes > self.max_bytes:
                _, (_, dropped) = self._kept.popitem(last=False)
                self._bytes -= dropped


async def answer(cache: AnswerCache[_T], version: Hashable | None, key: Hashable, compute: Callable[[], _T],
                 threads: CapacityLimiter, share: bool = True) -> _T:
    """`cache.get` for an async endpoint: a kept answer at once, on the event loop; anything else (computing it,
    or waiting for another request computing it) on one of `threads`, so that a burst of misses occupies a few
    threads rather than the whole pool (dozens of threads taking turns at the GIL make every answer late).

    A request given up (past the server's time limit) stops waiting; its computation runs on and is kept. An
    answer cheaper to compute again than to share between processes (an events page) is given `share=False`."""
    kept = cache.peek(version, key)
    if kept is not None:
        return kept
    return await anyio.to_thread.run_sync(cache.get, version, key, compute, share, limiter=threads,
                                          abandon_on_cancel=True)


_JSON = b"application/json"


class KeptRequests:
    """ASGI layer in front of the routes: a GET of one of `paths` that was answered 200 before, with the same query
    string and at the store's current version, gets the same bytes again without routing, parameter validation and
    dependencies, which cost a kept events page more than everything else. The paths' answers must depend on the
    query and the store alone. Only for clients that read without a key (loopback); the routes check keys.
    """

    def __init__(self, app: ASGIApp, cache: AnswerCache[bytes], version: Callable[[], Hashable | None],
                 paths: Collection[str]) -> None:
        """Wrap `app`; answers are kept in `cache` under `version()`."""
        self.app = app
        self.cache = cache
        self.version = version
        self.paths = frozenset(paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        client = scope.get("client") if scope["type"] == "http" else None
        if (client is None or scope["method"] != "GET" or scope["path"] not in self.paths
                or not is_loopback(client[0])):
            await self.app(scope, receive, send)
            return
        try:
            version = self.version()
        except Exception:  # the routes answer a store that cannot be read with their own error
            await self.app(scope, receive, send)
            return
        key = ("request", scope["path"], scope["query_string"])
        kept = self.cache.peek(version, key)
        if kept is not None:
            await Response(kept, media_type="application/json")(scope, receive, send)
            return
        parts: list[bytes] = []
        plain = False  # a 200 with nothing but a JSON body's own headers

        async def keep(message: Message) -> None:
            nonlocal plain
            if message["type"] == "http.response.start":
                headers = {name.lower(): value for name, value in message.get("headers", [])}
                plain = message["status"] == 200 and headers.keys() == {b"content-length", b"content-type"} and \
                    headers[b"content-type"] == _JSON
            elif message["type"] == "http.response.body" and plain:
                parts.append(message.get("body", b""))
                if not message.get("more_body", False):
                    self.cache.keep(version, key, b"".join(parts))
            await send(message)

        await self.app(scope, receive, keep)
