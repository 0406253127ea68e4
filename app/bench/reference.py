"""A bare Starlette app with claimtrack's constant endpoint: the yardstick for per-request overhead.

    uvicorn app.bench.reference:app --port 8001   # served exactly like app.main:app

`GET /livez` answers the same JSON as claimtrack's, with nothing around it: no middleware, no
dependencies, no error handlers. What claimtrack's `/livez` costs beyond this is the app's own overhead.
"""

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route


async def livez(_request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


app = Starlette(routes=[Route("/livez", livez, methods=["GET"])])
