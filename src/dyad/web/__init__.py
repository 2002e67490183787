"""dyad.web: the dashboard's pages and static files, served by the API app with no outside resources."""

from __future__ import annotations

from importlib import resources

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

__all__ = ["PAGES", "mount_dashboard"]

# URL path -> the page's HTML file in static/; each page loads its data from /api with its own script.
PAGES = {
    "/": "events.html",
    "/article": "article.html",
    "/dyad": "dyad.html",
    "/network": "network.html",
    "/ingest": "ingest.html",
}


def mount_dashboard(app: FastAPI) -> None:
    """Serve the pages at their paths and every script, style and icon under /static."""
    static = resources.files("dyad.web").joinpath("static")
    folder = str(static)

    def page(name: str):
        path = f"{folder}/{name}"

        async def serve() -> FileResponse:
            return FileResponse(path, media_type="text/html; charset=utf-8", headers={"Cache-Control": "no-cache"})

        return serve

    for route, name in PAGES.items():
        app.add_api_route(route, page(name), methods=["GET"], include_in_schema=False)
    app.mount("/static", StaticFiles(directory=folder), name="static")
