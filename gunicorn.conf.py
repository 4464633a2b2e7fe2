"""gunicorn's settings for onestop, read from the working directory (`gunicorn onestop.wsgi`).

Only what the project needs to decide: gunicorn writes a `Server: gunicorn` header on every
answer, which tells an attacker what runs behind the proxy and serves no one; it is left out.
Everything else (binding, workers, threads) is given on the command line (README, "Chạy").
"""

from gunicorn.http import wsgi

_default_headers = wsgi.Response.default_headers


def _without_server_banner(response) -> list[str]:
    return [line for line in _default_headers(response) if not line.startswith("Server:")]


wsgi.Response.default_headers = _without_server_banner
