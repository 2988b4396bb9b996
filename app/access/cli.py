"""``python main.py user ...``: create accounts, list them, change roles, (de)activate, reset a password."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from app.access import auth
from app.access.auth import ACCOUNT_ROLES as ROLES
from app.core import context
from app.core.commands import CliError

ACTOR = "cli"


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Repeat password: ") != first:
        raise CliError("password: the two entries differ")
    return first


def cmd_create(args: argparse.Namespace) -> int:
    password = _password(args)
    ctx = context.init()
    auth.create_user(ctx, email=args.email, password=password, role=args.role, display_name=args.name, actor=ACTOR)
    print(f"created {auth.normalise_email(args.email)} ({args.role})")
    return 0


def cmd_list(_args: argparse.Namespace) -> int:
    users = auth.list_users(context.init())
    if not users:
        print("no users yet; create the first admin with: python main.py user create EMAIL --role admin")
    for user in users:
        last = user.last_login_at.strftime("%Y-%m-%d %H:%M") if user.last_login_at else "-"
        state = "active" if user.active else "inactive"
        print(f"{user.email}\t{user.role}\t{state}\t{last}\t{user.display_name}")
    return 0


def cmd_set_role(args: argparse.Namespace) -> int:
    auth.change_role(context.init(), email=args.email, role=args.role, actor=ACTOR)
    print(f"{args.email}: {args.role}")
    return 0


def cmd_set_active(args: argparse.Namespace) -> int:
    auth.set_active(context.init(), email=args.email, active=args.active, actor=ACTOR)
    print(f"{args.email}: {'active' if args.active else 'inactive'}")
    return 0


def cmd_password(args: argparse.Namespace) -> int:
    password = _password(args)
    auth.set_password(context.init(), email=args.email, password=password, actor=ACTOR)
    print(f"{args.email}: password changed; older sessions are signed out")
    return 0


def register(sub: Any) -> None:
    user = sub.add_parser("user", help="manage the people who sign in (admins, marketers, viewers)")
    usub = user.add_subparsers(dest="user_command", required=True)
    p = usub.add_parser("create", help="create an account (prompts for the password)")
    p.add_argument("email")
    p.add_argument("--role", choices=ROLES, default="marketer")
    p.add_argument("--name", default="", help="display name")
    p.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    p.set_defaults(func=cmd_create)
    usub.add_parser("list", help="list accounts").set_defaults(func=cmd_list)
    p = usub.add_parser("set-role", help="change an account's role")
    p.add_argument("email")
    p.add_argument("role", choices=ROLES)
    p.set_defaults(func=cmd_set_role)
    for name, active in (("deactivate", False), ("activate", True)):
        p = usub.add_parser(name, help=f"{name} an account")
        p.add_argument("email")
        p.set_defaults(func=cmd_set_active, active=active)
    p = usub.add_parser("set-password", help="reset an account's password (signs out its sessions)")
    p.add_argument("email")
    p.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    p.set_defaults(func=cmd_password)
