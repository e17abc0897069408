"""uvicorn's h11 protocol with a deadline for the request head.

uvicorn keeps a connection that never finishes its request line and headers for as long as the
client likes, and httptools accepts headers of any size and number. Here:
  - h11 refuses a request head larger than HEAD_MAX_BYTES (uvicorn answers 400 and closes);
  - a connection that has not sent a complete request head HEAD_TIMEOUT_S after it opened, or after
    its previous response, is closed. Idle or trickling connections cannot pile up to the worker's
    connection limit and shut legitimate requests out.
Slack sends its whole request at once, with a head of well under 2 KB.
"""

from __future__ import annotations

import asyncio

from uvicorn.protocols.http.h11_impl import H11Protocol

HEAD_TIMEOUT_S = 10
HEAD_MAX_BYTES = 16 * 1024


_TOO_LARGE = b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"


class GuardedH11Protocol(H11Protocol):
    _head_deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def handle_events(self) -> None:
        before = self.cycle
        super().handle_events()
        if self.cycle is not before:  # a complete request head arrived
            self._disarm()
            if sum(len(k) + len(v) + 4 for k, v in self.headers) > HEAD_MAX_BYTES:
                # h11 bounds a head that arrives in pieces; one that arrives whole is measured here
                self.transport.write(_TOO_LARGE)
                self.transport.close()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm()  # the next request on this connection gets the same deadline

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._disarm()
        self._head_deadline = self.loop.call_later(HEAD_TIMEOUT_S, self._head_timeout)

    def _disarm(self) -> None:
        if self._head_deadline is not None:
            self._head_deadline.cancel()
            self._head_deadline = None

    def _head_timeout(self) -> None:
        self._head_deadline = None
        if not self.transport.is_closing():
            self.transport.close()
