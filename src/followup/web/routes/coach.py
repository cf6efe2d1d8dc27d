"""Coaches and admins (server mode only): their own pages, and nothing of a seeker's text.

A coach sees the clients linked to them (followup.coach_clients), each client's numbers
computed by app/coaching.py — counts, rates and durations only: the list from the figures
kept for every seeker in schema `followup` (one read for all the clients), one client's
page from that client's own store.
A client not linked to this coach is 404, whether or not the id exists. The guard
(web/server_mode.py) lets only coaches reach /coach… and only admins /admin….
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from followup.web import pages
from followup.web.deps import Forbidden
from followup.web.routes import IdPath
from followup.web.server_mode import ServerMode

router = APIRouter()
COACH_NAV = (("/coach", "Clients"),)
ADMIN_NAV = (("/admin", "Users"),)


def _mode(request: Request) -> ServerMode:
    mode: ServerMode = request.app.state.server
    return mode


def _user(request: Request, role: str) -> Any:
    session = getattr(request.state, "session", None)
    user = getattr(session, "user", None)
    if user is None or user.role != role:  # the guard refuses these first; this is a backstop
        raise Forbidden(f"not a {role}")
    return user


def _client_numbers(mode: ServerMode, client_id: int) -> dict[str, Any]:
    """One client's adherence and outcomes, from their own store, read-only."""
    from followup.app import coaching
    from followup.bootstrap import open_context
    from followup.web.deps import close_context

    ctx = open_context(mode.home, user_id=client_id)
    try:
        return coaching.client_report(ctx)
    finally:
        close_context(ctx)


def clients_data(mode: ServerMode, coach: Any) -> dict[str, Any]:
    """Every client's adherence, read at once from the figures kept beside the accounts
    (never each client's schema in turn: issue #17)."""
    from followup.app import accounts, coaching
    from followup.bootstrap import client_policy, clock_from_env, coach_figures

    clients = accounts.clients(mode.accounts, coach)
    numbers = coaching.clients_adherence(
        coach_figures(),
        [c.id for c in clients],
        lambda uid: client_policy(mode.home, uid),
        clock_from_env().now(),
    )
    return {
        "clients": [
            {
                "id": client.id,
                "email": client.email,
                "disabled": client.disabled,
                "adherence": coaching.adherence_json(numbers[client.id]),
            }
            for client in clients
        ]
    }


def client_data(mode: ServerMode, coach: Any, client_id: int) -> dict[str, Any]:
    from followup.app import accounts

    client = accounts.client_of(mode.accounts, coach, client_id)  # NotFound: 404
    return {
        "client": {"id": client.id, "email": client.email, "disabled": client.disabled},
        **_client_numbers(mode, client.id),
    }


@router.get("/coach", include_in_schema=False)
def coach_page(request: Request) -> Response:
    mode, coach = _mode(request), _user(request, "coach")
    data = clients_data(mode, coach)
    # who needs a nudge today first: notes that may go now, the fading ones first (a trial)
    first = sorted(
        data["clients"],
        key=lambda c: (-c["adherence"]["due_now"], -c["adherence"]["fading"], c["email"]),
    )
    return pages.render(request, "coach.html", nav=COACH_NAV, clients=first)


@router.get(
    "/api/coach",
    tags=["coach"],
    summary="Your clients' cadence adherence (counts only)",
)
def api_coach(request: Request) -> dict[str, Any]:
    mode, coach = _mode(request), _user(request, "coach")
    return clients_data(mode, coach)


@router.get("/coach/clients/{client_id}", include_in_schema=False)
def coach_client_page(request: Request, client_id: IdPath) -> Response:
    mode, coach = _mode(request), _user(request, "coach")
    data = client_data(mode, coach, client_id)
    return pages.render(
        request, "coach_client.html", nav=COACH_NAV, client=data["client"], report=data
    )


@router.get(
    "/api/coach/clients/{client_id}",
    tags=["coach"],
    summary="One client's adherence and outcome numbers (counts only)",
)
def api_coach_client(request: Request, client_id: IdPath) -> dict[str, Any]:
    mode, coach = _mode(request), _user(request, "coach")
    return client_data(mode, coach, client_id)


def users_data(mode: ServerMode) -> list[dict[str, Any]]:
    from followup.app import accounts
    from followup.app.views import iso

    return [
        {
            "id": u.id,
            "email": u.email,
            "role": u.role,
            "created_at": iso(u.created_at),
            "disabled": u.disabled,
            "clients": clients,
        }
        for u, clients in accounts.list_users(mode.accounts)
    ]


@router.get("/admin", include_in_schema=False)
def admin_page(request: Request) -> Response:
    mode = _mode(request)
    _user(request, "admin")
    users = users_data(mode)
    return pages.render(request, "admin.html", nav=ADMIN_NAV, users=users)


@router.get("/api/admin/users", tags=["admin"], summary="Every account: `followup users list`")
def api_admin_users(request: Request) -> list[dict[str, Any]]:
    mode = _mode(request)
    _user(request, "admin")
    return users_data(mode)
