"""Serve the dashboard inside the running event loop (next to the bot and the SLA job)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import uvicorn
from fastapi import FastAPI

STARTUP_TIMEOUT_SECONDS = 15.0


class DashboardStartError(RuntimeError):
    """The HTTP server did not come up (port taken, bad address)."""


@contextlib.asynccontextmanager
async def serve_dashboard(app: FastAPI, host: str, port: int) -> AsyncIterator[str]:
    """Run uvicorn for the app; yields the base URL (port 0 picks a free port)."""
    config = uvicorn.Config(
        app, host=host, port=port, log_level="warning", lifespan="off", access_log=False
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    loop = asyncio.get_running_loop()
    deadline = loop.time() + STARTUP_TIMEOUT_SECONDS
    while not server.started:
        if task.done() or loop.time() > deadline:
            server.should_exit = True
            with contextlib.suppress(BaseException):
                await task
            raise DashboardStartError(f"the dashboard could not listen on {host}:{port}")
        await asyncio.sleep(0.02)
    bound = server.servers[0].sockets[0].getsockname()
    try:
        yield f"http://{host}:{bound[1]}"
    finally:
        server.should_exit = True
        await task
