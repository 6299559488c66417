"""The review app: FastAPI on 127.0.0.1, pages from Jinja2 templates (autoescaped), our own script
and style sheet under /static, the report's data as JSON the script puts in the page as text nodes.

Every page and API call needs the run's token (a random string made at start and put in the URL the
browser opens): pages take it as `?t=`, decisions (POST) only as the `X-Review-Token` header, which a
page of another origin cannot send without a CORS preflight this app never grants; a request from
another origin is refused too. So other local users, and other pages open in the same browser,
cannot read reports or post decisions. Responses carry a Content Security Policy that admits only
the app's own script and style, and no referrer (the token never leaves in a Referer header).
"""
import secrets
from pathlib import Path

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape

from pipeline.slug import check_report_id
from review.decisions import ReviewError
from review.web.actions import Action, act, drop
from review.web.state import LOW, index_rows, report_state

HERE = Path(__file__).parent
HEADER = "X-Review-Token"
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
       "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
                    "X-Frame-Options": "DENY", "Cache-Control": "no-store"}
LOCAL_HOSTS = ("127.0.0.1", "localhost")


def new_token() -> str:
    return secrets.token_urlsafe(24)


def create_app(out_dir: Path, reviews_dir: Path, token: str, old_dir: Path | None = None) -> FastAPI:
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(default=True))

    @app.middleware("http")
    async def guard(request: Request, call_next):
        refused = _refused(request, token)
        response = JSONResponse({"error": refused}, status_code=403) if refused else await call_next(request)
        response.headers.update(SECURITY_HEADERS)
        return response

    def html(name: str, **values) -> HTMLResponse:
        return HTMLResponse(env.get_template(name).render(token=token, **values))

    @app.get("/", response_class=HTMLResponse)
    def index():
        return html("index.html", rows=index_rows(out_dir, reviews_dir, old_dir), folder=str(out_dir), low=LOW)

    @app.get("/report/{report_id}", response_class=HTMLResponse)
    def report(report_id: str):
        return html("report.html", report_id=_checked(report_id))

    @app.get("/api/report/{report_id}")
    def state(report_id: str):
        return _answer(lambda: report_state(out_dir, reviews_dir, _checked(report_id), old_dir))

    @app.post("/api/report/{report_id}/decisions")
    def decide(report_id: str, action: Action):
        rid = _checked(report_id)
        return _answer(lambda: {"done": act(out_dir, reviews_dir, rid, action),
                                **report_state(out_dir, reviews_dir, rid, old_dir)})

    @app.post("/api/report/{report_id}/drop/{number}")
    def withdraw(report_id: str, number: int):
        rid = _checked(report_id)
        return _answer(lambda: {"done": f"dropped: {drop(out_dir, reviews_dir, rid, number)}",
                                **report_state(out_dir, reviews_dir, rid, old_dir)})

    return app


def _checked(report_id: str) -> str:
    try:
        return check_report_id(report_id)
    except ValueError:
        raise HTTPException(404, "no such report") from None


def _answer(make) -> JSONResponse | dict:
    try:
        return make()
    except FileNotFoundError:
        return JSONResponse({"error": "no such report"}, status_code=404)
    except (ReviewError, ValueError) as e:
        return JSONResponse({"error": " ".join(str(e).split())[:500]}, status_code=400)


def _refused(request: Request, token: str) -> str | None:
    """Why a request is refused (None when it is let through)."""
    host = (request.headers.get("host") or "").rsplit(":", 1)[0].strip("[]")
    if host not in LOCAL_HOSTS:
        return "this app answers only on 127.0.0.1"
    if request.url.path.startswith("/static/"):
        return None
    origin = request.headers.get("origin")
    if origin is not None and origin.split("://", 1)[-1].rsplit(":", 1)[0] not in LOCAL_HOSTS:
        return "requests from other origins are refused"
    if request.method in ("GET", "HEAD"):
        given = request.query_params.get("t") or request.headers.get(HEADER) or ""
    elif request.method == "POST":
        given = request.headers.get(HEADER) or ""
    else:
        return "method not allowed"
    if not secrets.compare_digest(given.encode(), token.encode()):
        return "no valid token: open the URL `city-reports review serve` printed"
    return None


def serve(out_dir: Path, reviews_dir: Path, host: str = "127.0.0.1", port: int = 0, old_dir: Path | None = None,
          open_browser: bool = True, ready=None) -> None:
    """Run the app until interrupted; `ready(url)` is called with the URL (token included) once it listens."""
    import socket
    import threading
    import webbrowser

    import uvicorn

    if host not in LOCAL_HOSTS:
        raise ValueError("the review app listens only on 127.0.0.1")
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    token = new_token()
    url = f"http://127.0.0.1:{sock.getsockname()[1]}/?t={token}"
    server = uvicorn.Server(uvicorn.Config(create_app(out_dir, reviews_dir, token, old_dir), log_level="warning"))

    def announce():
        while not server.started:
            threading.Event().wait(0.05)
        (ready or print)(url)
        if open_browser:
            webbrowser.open(url)

    threading.Thread(target=announce, daemon=True).start()
    server.run(sockets=[sock])
