"""Sign in and out (server mode only): e-mail and password, a session cookie.

The sign-in form has no session yet, so it carries its own CSRF secret: a random value in a
SameSite=Strict cookie that the form must repeat (double submit); the guard has already
checked the request's Origin. Attempts are limited per e-mail address and per client address
(app/accounts.py: sign_in); a refused attempt gets one 429 page whatever the reason. The
answer to a wrong address, a wrong password and a disabled account is the same page, status
and wording.

The routes are plain `def`: FastAPI runs them in its thread pool, so the database and
argon2 (tens of milliseconds of CPU) never hold up the event loop.
"""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from followup.app.accounts import SESSION_LIFETIME, AuthenticationFailed, TooManyAttempts
from followup.web import pages
from followup.web.deps import Forbidden
from followup.web.security import _cookie, _headers, same_origin
from followup.web.server_mode import HOME_OF, LOGIN_PATH, LOGOUT_PATH, ServerMode, new_secret

router = APIRouter()
NO_NAV: tuple[tuple[str, str], ...] = ()
LOGIN_COOKIE_AGE = 3600
# The same words whichever limit was hit (account or client): nothing to learn from them.
TOO_MANY = "Too many sign-in attempts: wait a little, then try again."


def server_mode(request: Request) -> ServerMode:
    mode: ServerMode = request.app.state.server
    return mode


def _https(request: Request) -> bool:
    return server_mode(request).https(request.scope, _headers(request.scope))


def _login_page(
    request: Request, status: int, message: str | None, email: str, next_: str
) -> Response:
    mode = server_mode(request)
    https = _https(request)
    secret = _cookie(_headers(request.scope), mode.cookie_name(https, "login")) or new_secret()
    response = pages.render(
        request,
        "login.html",
        status=status,
        nav=NO_NAV,
        login_csrf=secret,
        message=message,
        email=email,
        next=next_,
    )
    response.headers.append(
        "set-cookie",
        mode.set_cookie(mode.cookie_name(https, "login"), secret, https, LOGIN_COOKIE_AGE),
    )
    return response


@router.get(LOGIN_PATH, include_in_schema=False)
def login_page(
    request: Request, next_: Annotated[str, Query(alias="next", max_length=2000)] = ""
) -> Response:
    session = getattr(request.state, "session", None)
    if session is not None:
        return RedirectResponse(same_origin(next_, HOME_OF[session.user.role]), status_code=303)
    return _login_page(request, 200, None, "", next_)


@router.post(LOGIN_PATH, include_in_schema=False)
def login(
    request: Request,
    email: Annotated[str, Form(max_length=320)] = "",
    password: Annotated[str, Form(max_length=4096)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    next_: Annotated[str, Form(alias="next", max_length=2000)] = "",
) -> Response:
    from followup.app import accounts

    mode = server_mode(request)
    headers = _headers(request.scope)
    https = _https(request)
    expected = _cookie(headers, mode.cookie_name(https, "login"))
    if not expected or not secrets.compare_digest(csrf_token.encode(), expected.encode()):
        raise Forbidden("the sign-in form is stale")
    client = mode.client_address(request.scope)
    try:
        signed = accounts.sign_in(mode.accounts, email, password, client)
    except TooManyAttempts as refused:
        page = _login_page(request, 429, TOO_MANY, email, next_)
        page.headers["retry-after"] = str(refused.retry_after)
        return page
    except AuthenticationFailed:
        return _login_page(request, 401, "Wrong e-mail address or password.", email, next_)
    response = RedirectResponse(same_origin(next_, HOME_OF[signed.user.role]), status_code=303)
    age = int(SESSION_LIFETIME.total_seconds())
    response.headers.append(
        "set-cookie", mode.set_cookie(mode.cookie_name(https), signed.token, https, age)
    )
    response.headers.append(
        "set-cookie", mode.set_cookie(mode.cookie_name(https, "login"), "", https, 0)
    )
    return response


@router.post(LOGOUT_PATH, include_in_schema=False)
def logout(request: Request) -> Response:
    """Sign out: the session is deleted on the server, the cookie in the browser."""
    from followup.app import accounts

    mode = server_mode(request)
    headers = _headers(request.scope)
    https = _https(request)
    accounts.sign_out(mode.accounts, mode.session_token(request.scope, headers))
    response = RedirectResponse(LOGIN_PATH, status_code=303)
    response.headers.append("set-cookie", mode.set_cookie(mode.cookie_name(https), "", https, 0))
    return response
