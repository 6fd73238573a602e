"""``jixiao web serve``: the built site on 127.0.0.1, for the one PC it runs on.

Any static web server does the same job (the README says how); this one sets what the
page needs and nothing else: ``.wasm`` and ``.mjs`` types, long caching for the runtime and
wheels (fetched once, then from the browser's cache), and a content security policy that
lets the page talk to its own origin only.
"""

from __future__ import annotations

import functools
import os
import sys
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from jixiao.errors import WorkbookError

TYPES = {
    ".wasm": "application/wasm",
    ".mjs": "text/javascript",
    ".js": "text/javascript",
    ".whl": "application/zip",
    ".json": "application/json",
    ".zip": "application/zip",
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
}
# The page's scripts, its runtime and its Python come from its own origin; blob: URLs are
# the downloads it makes; wasm compilation is what Pyodide is.
POLICY = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'unsafe-eval'; "
    "worker-src 'self'; connect-src 'self'; img-src 'self' data: blob:; "
    "style-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'"
)
HOST = "127.0.0.1"  # this PC only
CACHED = ("/pyodide/", "/wheels/")  # versioned by their names: a year in the browser's cache


class Handler(SimpleHTTPRequestHandler):
    def guess_type(self, path: str | os.PathLike[str]) -> str:
        found = TYPES.get(Path(path).suffix.lower())
        return found if found is not None else super().guess_type(path)

    def end_headers(self) -> None:
        path = self.path.split("?", 1)[0]
        if path.startswith(CACHED):
            self.send_header("Cache-Control", "public, max-age=31536000, immutable")
        else:
            self.send_header("Cache-Control", "no-cache")
        self.send_header("Content-Security-Policy", POLICY)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass  # a clerk's terminal shows the address, not every request


def make_server(folder: str | os.PathLike[str], port: int = 8765) -> ThreadingHTTPServer:
    root = Path(folder)
    if not (root / "index.html").is_file() or not (root / "manifest.json").is_file():
        raise WorkbookError(f"{root} 中没有 jixiao 网页：请先运行 jixiao web build -o {root}")
    handler = functools.partial(Handler, directory=str(root))
    try:
        return ThreadingHTTPServer((HOST, port), handler)
    except OSError as error:
        raise WorkbookError(
            f"无法在端口 {port} 启动：{error.strerror}（换一个端口：--port）"
        ) from None


def serve(folder: str | os.PathLike[str], port: int = 8765) -> None:
    server = make_server(folder, port)
    address = f"http://{HOST}:{server.server_port}/"
    print(f"已启动：{address} （仅本机可访问；按 Ctrl+C 停止）", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("已停止", file=sys.stderr)
    finally:
        server.server_close()
