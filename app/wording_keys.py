"""Every translation key that app/wording.py says, written out, so a test can list them all.

Each table maps a code from the pure core (a shared summary phrase, a problem, a duration unit, an account
refusal) to its key; a key whose text has plural forms stands for ``<key>.one`` and ``<key>.other``. A node
type's own phrases, setting labels and fixes are texts of its module (see ``journeys.nodes``).
"""

# Phrases several node types say; each node type's own phrases are in its module (``phrase.<code>`` texts).
SUMMARY_KEYS: dict[str, str] = {
    "empty": "wording.summary.empty",
}


# The title of each validation problem (journeys.validation.CODES) in the problem list.
VIOLATION_KEYS: dict[str, str] = {
    "duplicate_id": "builder.violation.duplicate_id",
    "unknown_type": "builder.violation.unknown_type",
    "invalid_config": "builder.violation.invalid_config",
    "template_syntax": "builder.violation.template_syntax",
    "split_weights": "builder.violation.split_weights",
    "dangling_edge": "builder.violation.dangling_edge",
    "entry_incoming": "builder.violation.entry_incoming",
    "unknown_port": "builder.violation.unknown_port",
    "port_reused": "builder.violation.port_reused",
    "port_missing": "builder.violation.port_missing",
    "no_entry": "builder.violation.no_entry",
    "multiple_entries": "builder.violation.multiple_entries",
    "cycle": "builder.violation.cycle",
    "unreachable": "builder.violation.unreachable",
    "dead_end": "builder.violation.dead_end",
}


PROBLEM_KEYS: dict[str, str] = {
    "field_missing": "wording.problem.field_missing",
    "field_invalid": "wording.problem.field_invalid",
    "template_syntax": "wording.problem.template_syntax",
    "duplicate_id": "wording.problem.duplicate_id",
    "unknown_type": "wording.problem.unknown_type",
    "split_total": "wording.problem.split_total",
    "variant_port_reused": "wording.problem.variant_port_reused",
    "case_port_reused": "wording.problem.case_port_reused",
    "one_control": "wording.problem.one_control",
    "dangling_edge": "wording.problem.dangling_edge",
    "entry_incoming": "wording.problem.entry_incoming",
    "unknown_port": "wording.problem.unknown_port",
    "port_reused": "wording.problem.port_reused",
    "port_missing": "wording.problem.port_missing",
    "no_entry": "wording.problem.no_entry",
    "multiple_entries": "wording.problem.multiple_entries",
    "cycle": "wording.problem.cycle",
    "unreachable": "wording.problem.unreachable",
    "dead_end": "wording.problem.dead_end",
}


DURATION_KEYS: dict[str, str] = {
    "minutes": "wording.duration.minutes",
    "hours": "wording.duration.hours",
    "days": "wording.duration.days",
    "weeks": "wording.duration.weeks",
}


AUTH_KEYS: dict[str, str] = {
    "email_invalid": "wording.auth.email_invalid",
    "password_short": "wording.auth.password_short",
    "password_long": "wording.auth.password_long",
    "role_unknown": "wording.auth.role_unknown",
    "email_taken": "wording.auth.email_taken",
    "setup_done": "wording.auth.setup_done",
    "no_account": "wording.auth.no_account",
    "last_admin": "wording.auth.last_admin",
    "own_account": "wording.auth.own_account",
}


PLURAL_KEYS = frozenset(
    {
        "wording.duration.minutes",
        "wording.duration.hours",
        "wording.duration.days",
        "wording.duration.weeks",
    }
)
