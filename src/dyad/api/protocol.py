"""The HTTP protocol `dyad serve` runs: uvicorn's httptools protocol with a bound on a request's head.

httptools parses requests in C, at about half the CPU of the pure-Python h11, but sets no limit on the size of a
request line and its headers: it would gather a header of any length in memory. This protocol counts the bytes
of each request's head as they arrive and answers 431 and closes the connection once past `MAX_HEAD_BYTES`, before
the request reaches the app (which bounds bodies itself).
"""

from __future__ import annotations

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

__all__ = ["MAX_HEAD_BYTES", "BoundedHttpToolsProtocol"]

MAX_HEAD_BYTES = 64 * 1024

_REFUSAL = (b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-type: text/plain; charset=utf-8\r\n"
            b"connection: close\r\ncontent-length: 42\r\n\r\nrequest line and headers over 65,536 bytes")


class BoundedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, refusing a request whose line and headers exceed `MAX_HEAD_BYTES`."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._in_head = True  # reading a request's line and headers (not its body)
        self._head_bytes = 0

    def data_received(self, data: bytes) -> None:
        # Counted after parsing, so that a head and a body arriving together count as the head alone; the parser
        # holds at most the limit plus one read.
        if self._in_head and self._head_bytes > MAX_HEAD_BYTES:
            self.logger.warning("Request head over %d bytes refused.", MAX_HEAD_BYTES)
            self.transport.write(_REFUSAL)
            self.transport.close()
            return
        super().data_received(data)
        if self._in_head:
            self._head_bytes += len(data)

    def on_headers_complete(self) -> None:
        self._in_head = False
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        self._in_head, self._head_bytes = True, 0  # the next request on this connection starts its own count
        super().on_message_complete()
