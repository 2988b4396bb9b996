"""One root for every refusal Parcours raises on purpose, each kind with the HTTP status it answers.

A refusal names what is wrong in its message (a field, a step, a key); it is data for the user, never a crash.
Each kind also keeps the built-in base code may already catch (``ValueError``, ``LookupError``), so existing
``except`` clauses keep working. app/core/errors.py maps any refusal that escapes a route to its status, never to 500.
"""

from __future__ import annotations


class ParcoursError(Exception):
    """A refusal: the input, the state or the caller's rights do not allow this."""

    status = 400


class InvalidError(ParcoursError, ValueError):
    """What was sent is not valid (a field, a document, a template)."""

    status = 422


class NotFoundError(ParcoursError, LookupError):
    """What was named does not exist."""

    status = 404


class ConflictError(ParcoursError):
    """The state does not allow it now (a newer revision, a name or key taken, a workspace not empty)."""

    status = 409
