"""Strings of the funnel of a journey with an A/B split (steps before it once, then one funnel per variant)."""

EN = {
    "splitfunnel.everyone": "All contacts",
    "splitfunnel.stage.assigned": "In the variant",
    "splitfunnel.stage.message": "Message {number}",
}

FR = {
    "splitfunnel.everyone": "Tous les contacts",
    "splitfunnel.stage.assigned": "Dans la variante",
    "splitfunnel.stage.message": "Message {number}",
}
