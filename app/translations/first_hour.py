"""Strings of the user guide page, the demo's display names, account form errors and the simulated provider."""

EN = {
    "demo.segment.push_subscribers": "Push subscribers",
    "demo.consent_actor": "demo workspace",
}

FR = {
    "demo.segment.push_subscribers": "Abonnés push",
    "demo.consent_actor": "espace de démonstration",
}
