"""gunicorn's logger for the services, with its access log switched off at no cost.

The services write their own access line per request (shopcore.middleware.AccessLogMiddleware,
with the request id), so gunicorn's access log is off (`accesslog = None`). gunicorn still
builds the fields of its access line for every request, and hands them to a logger that drops
them, whenever a logging configuration is given, as `logconfig_dict` is. On `/healthz` that is
a tenth of the request's CPU time. `logger_class = "shopcore.gunicorn.Logger"` skips it.
"""

from typing import Any

from gunicorn.glogging import Logger as _GunicornLogger


class Logger(_GunicornLogger):
    """gunicorn's logger; error lines as usual, the access line never built."""

    def access(self, resp: Any, req: Any, environ: Any, request_time: Any) -> None:
        return None
