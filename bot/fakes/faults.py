"""Fault injection shared by the fake servers: the next matching requests misbehave."""

from __future__ import annotations

import asyncio
import json
from collections import deque
from dataclasses import dataclass
from typing import Literal

from aiohttp import web

FaultKind = Literal["rate_limit", "server_error", "timeout", "malformed", "truncated", "auth"]


@dataclass
class Fault:
    kind: FaultKind
    path_contains: str = ""  # only requests whose path contains this ("" = any)
    retry_after: int = 1  # seconds, for rate_limit
    delay: float = 5.0  # seconds, for timeout
    status: int = 500  # for server_error / auth


class FaultQueue:
    def __init__(self) -> None:
        self._faults: deque[Fault] = deque()
        self.injected = 0

    def add(self, fault: Fault, times: int = 1) -> None:
        for _ in range(times):
            self._faults.append(fault)

    def clear(self) -> None:
        self._faults.clear()

    def take(self, path: str) -> Fault | None:
        for fault in self._faults:
            if fault.path_contains in path:
                self._faults.remove(fault)
                self.injected += 1
                return fault
        return None


async def fault_response(
    fault: Fault, *, rate_limit_body: dict[str, object], rate_limit_headers: dict[str, str]
) -> web.StreamResponse:
    """Build the misbehaving response for one request."""
    if fault.kind == "rate_limit":
        return web.json_response(rate_limit_body, status=429, headers=rate_limit_headers)
    if fault.kind in ("server_error", "auth"):
        body = {"ok": False, "error_code": fault.status, "description": "Injected failure"}
        if fault.kind == "auth":
            body["title"] = "Unauthorized"
        return web.json_response(body, status=fault.status)
    if fault.kind == "timeout":
        await asyncio.sleep(fault.delay)
        return web.json_response(
            {"ok": False, "error_code": 504, "description": "late"}, status=504
        )
    if fault.kind == "malformed":
        return web.Response(text="{not json", content_type="application/json")
    # truncated: a body cut in the middle of a JSON document
    full = json.dumps({"ok": True, "result": [{"update_id": 1, "message": {"text": "x"}}]})
    return web.Response(text=full[: len(full) // 2], content_type="application/json")
