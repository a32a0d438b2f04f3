"""`ferrogate keys create|list|show|revoke|rotate`: the admin API from a shell.

It talks to a running gateway over HTTP, so it works the same against one process or a
fleet sharing Redis. The master key comes from FERROGATE_MASTER_KEY only, never a flag, so
it stays out of shell history and the process list.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.error
import urllib.request
from typing import Any

DEFAULT_URL = "http://127.0.0.1:8080"


def add_keys_parser(commands) -> None:
    keys = commands.add_parser("keys", help="manage virtual keys through the admin API")
    keys.add_argument(
        "--url",
        default=os.environ.get("FERROGATE_URL", DEFAULT_URL),
        help=f"the gateway [env FERROGATE_URL; default: {DEFAULT_URL}]",
    )
    actions = keys.add_subparsers(dest="action", required=True)
    create = actions.add_parser("create", help="create a key; its secret is printed once")
    create.add_argument("--models", help="comma-separated models the key may use (default all)")
    create.add_argument("--rpm", type=int, help="requests per minute")
    create.add_argument("--tpm", type=int, help="tokens per minute")
    create.add_argument("--max-budget-usd", type=float, help="spend allowed per period")
    create.add_argument("--budget-period", help="e.g. 30d, 1w, 12h, 1mo (default: lifetime)")
    create.add_argument("--expires-at", help="unix seconds or ISO 8601")
    create.add_argument("--metadata", help="a JSON object kept with the key")
    actions.add_parser("list", help="list keys with their usage and spend")
    for name, text in (("show", "one key"), ("revoke", "delete a key"), ("rotate", "new secret")):
        actions.add_parser(name, help=text).add_argument("id")


def run_keys(args: argparse.Namespace) -> int:
    master = os.environ.get("FERROGATE_MASTER_KEY", "")
    if not master:
        print(
            "ferrogate keys: set FERROGATE_MASTER_KEY to the gateway's master key", file=sys.stderr
        )
        return 2
    method, path, body = _request_for(args)
    status, answer = _call(args.url.rstrip("/") + path, method, master, body)
    print(json.dumps(answer, indent=2))
    return 0 if status < 400 else 1


def _request_for(args: argparse.Namespace) -> tuple[str, str, dict | None]:
    if args.action == "create":
        return "POST", "/admin/keys", _create_body(args)
    if args.action == "list":
        return "GET", "/admin/keys", None
    if args.action == "show":
        return "GET", f"/admin/keys/{args.id}", None
    if args.action == "revoke":
        return "DELETE", f"/admin/keys/{args.id}", None
    return "POST", f"/admin/keys/{args.id}/rotate", None


def _create_body(args: argparse.Namespace) -> dict[str, Any]:
    body: dict[str, Any] = {}
    if args.models:
        body["models"] = [m.strip() for m in args.models.split(",") if m.strip()]
    for field in ("rpm", "tpm", "max_budget_usd", "budget_period"):
        if getattr(args, field) is not None:
            body[field] = getattr(args, field)
    if args.expires_at is not None:
        expires = args.expires_at
        body["expires_at"] = float(expires) if expires.replace(".", "", 1).isdigit() else expires
    if args.metadata is not None:
        body["metadata"] = json.loads(args.metadata)
    return body


def _call(url: str, method: str, master: str, body: dict | None) -> tuple[int, Any]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("authorization", f"Bearer {master}")
    if data is not None:
        request.add_header("content-type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")
