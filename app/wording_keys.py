"""Every translation key that app/wording.py says, written out, so a test can list them all.

Each table maps a code from the pure core (a summary phrase, a problem, a step type and setting, a duration unit,
an account refusal) to its key; a key whose text has plural forms stands for ``<key>.one`` and ``<key>.other``.
"""

SUMMARY_KEYS: dict[str, str] = {
    "entry_event": "wording.summary.entry_event",
    "entry_event_filtered": "wording.summary.entry_event_filtered",
    "entry_segment": "wording.summary.entry_segment",
    "entry_api": "wording.summary.entry_api",
    "all_contacts": "wording.summary.all_contacts",
    "schedule_once": "wording.summary.schedule_once",
    "schedule_recurring": "wording.summary.schedule_recurring",
    "date_on": "wording.summary.date_on",
    "date_on_yearly": "wording.summary.date_on_yearly",
    "date_before": "wording.summary.date_before",
    "date_before_yearly": "wording.summary.date_before_yearly",
    "date_after": "wording.summary.date_after",
    "date_after_yearly": "wording.summary.date_after_yearly",
    "wait_duration": "wording.summary.wait_duration",
    "wait_event": "wording.summary.wait_event",
    "wait_until_date": "wording.summary.wait_until_date",
    "wait_until_time": "wording.summary.wait_until_time",
    "wait_until_days": "wording.summary.wait_until_days",
    "branch": "wording.summary.branch",
    "branch_multi": "wording.summary.branch_multi",
    "message.push": "wording.summary.message.push",
    "message.sms": "wording.summary.message.sms",
    "message.email": "wording.summary.message.email",
    "message.in_app": "wording.summary.message.in_app",
    "empty": "wording.summary.empty",
    "update_set": "wording.summary.update_set",
    "update_increment": "wording.summary.update_increment",
    "update_unset": "wording.summary.update_unset",
    "update_set_more": "wording.summary.update_set_more",
    "update_increment_more": "wording.summary.update_increment_more",
    "update_unset_more": "wording.summary.update_unset_more",
    "goal": "wording.summary.goal",
    "split": "wording.summary.split",
    "webhook": "wording.summary.webhook",
    "exit": "wording.summary.exit",
    "weekday.mon": "wording.summary.weekday.mon",
    "weekday.tue": "wording.summary.weekday.tue",
    "weekday.wed": "wording.summary.weekday.wed",
    "weekday.thu": "wording.summary.weekday.thu",
    "weekday.fri": "wording.summary.weekday.fri",
    "weekday.sat": "wording.summary.weekday.sat",
    "weekday.sun": "wording.summary.weekday.sun",
}


FIX_KEYS: dict[tuple[str, str], str] = {
    ("entry.event", "event"): "wording.fix.entry.event.event",
    ("entry.event", "filters"): "wording.fix.entry.event.filters",
    ("entry.segment", "segment"): "wording.fix.entry.segment.segment",
    ("entry.schedule", "at"): "wording.fix.entry.schedule.at",
    ("entry.schedule", "cron"): "wording.fix.entry.schedule.cron",
    ("entry.schedule", "time_zone"): "wording.fix.entry.schedule.time_zone",
    ("entry.schedule", "mode"): "wording.fix.entry.schedule.mode",
    ("entry.date", "attribute"): "wording.fix.entry.date.attribute",
    ("entry.date", "offset"): "wording.fix.entry.date.offset",
    ("entry.date", "time_of_day"): "wording.fix.entry.date.time_of_day",
    ("wait.duration", "duration"): "wording.fix.wait.duration.duration",
    ("wait.until", "time"): "wording.fix.wait.until.time",
    ("wait.until", "date"): "wording.fix.wait.until.date",
    ("wait.event", "event"): "wording.fix.wait.event.event",
    ("wait.event", "timeout"): "wording.fix.wait.event.timeout",
    ("wait.event", "filters"): "wording.fix.wait.event.filters",
    ("branch", "condition"): "wording.fix.branch.condition",
    ("branch.multi", "cases"): "wording.fix.branch.multi.cases",
    ("split", "variants"): "wording.fix.split.variants",
    ("message.push", "body"): "wording.fix.message.push.body",
    ("message.push", "url"): "wording.fix.message.push.url",
    ("message.push", "image_url"): "wording.fix.message.push.image_url",
    ("message.sms", "body"): "wording.fix.message.sms.body",
    ("message.email", "subject"): "wording.fix.message.email.subject",
    ("message.email", "body"): "wording.fix.message.email.body",
    ("message.in_app", "body"): "wording.fix.message.in_app.body",
    ("message.in_app", "button_url"): "wording.fix.message.in_app.button_url",
    ("message.in_app", "expires_after_days"): "wording.fix.message.in_app.expires_after_days",
    ("webhook", "url"): "wording.fix.webhook.url",
    ("webhook", "headers"): "wording.fix.webhook.headers",
    ("update_attribute", "updates"): "wording.fix.update_attribute.updates",
    ("goal", "goal"): "wording.fix.goal.goal",
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
        "wording.summary.entry_event_filtered",
        "wording.summary.branch",
        "wording.summary.branch_multi",
        "wording.summary.update_set_more",
        "wording.summary.update_increment_more",
        "wording.summary.update_unset_more",
        "wording.duration.minutes",
        "wording.duration.hours",
        "wording.duration.days",
        "wording.duration.weeks",
    }
)
