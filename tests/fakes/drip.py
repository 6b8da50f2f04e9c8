"""A deliberately bad HTTP server on 127.0.0.1, written on raw sockets so it can misbehave in ways a
framework will not: answer a 200 and then drip the body a byte at a time, stop sending mid-body, or
send a body far larger than any document. Each connection is served in its own thread.
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field


@dataclass
class BadServer:
    mode: str  # drip | stall | big | big_chunked
    interval: float = 0.2  # drip: seconds between bytes; stall: how long to hang after the first bytes
    size: int = 1000  # declared body size (drip, stall) or bytes sent (big)
    requests: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.stopped = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}/"

    def close(self) -> None:
        self.stopped.set()
        self.sock.close()

    def _accept(self) -> None:
        while not self.stopped.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        try:
            request = b""
            while b"\r\n\r\n" not in request:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                request += chunk
            self.requests.append(request.split(b"\r\n", 1)[0].decode("latin-1"))
            if self.mode == "big_chunked":
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
                block = b"[" + b"1," * 32000 + b"1]"
                sent = 0
                while sent < self.size and not self.stopped.is_set():
                    conn.sendall(f"{len(block):x}\r\n".encode() + block + b"\r\n")
                    sent += len(block)
                conn.sendall(b"0\r\n\r\n")
                return
            head = (f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {self.size}\r\n"
                    "Connection: close\r\n\r\n").encode()
            conn.sendall(head)
            if self.mode == "big":
                conn.sendall(b" " * self.size)
            elif self.mode == "drip":
                for _ in range(self.size):
                    if self.stopped.is_set():
                        return
                    conn.sendall(b" ")
                    time.sleep(self.interval)
            elif self.mode == "stall":
                conn.sendall(b"[1, 2")
                self.stopped.wait(self.interval)
        except OSError:
            pass
        finally:
            conn.close()
