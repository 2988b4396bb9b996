"""Strings of the quarantine (rows the engine or dispatcher could not process)."""

EN = {
    "nav.quarantine": "Quarantine",
    "quarantine.title": "Quarantine",
    "quarantine.hint": (
        "Rows the engine or the dispatcher could not process. Everyone else went on; these wait here. "
        "Retry puts a row back once its cause is fixed; Discard gives up on it."
    ),
    "quarantine.empty": "Nothing in quarantine.",
    "quarantine.kind.event": "Event",
    "quarantine.kind.enrollment": "Journey run",
    "quarantine.kind.outbox": "Message",
    "quarantine.journey": "journey {journey}",
    "quarantine.contact": "contact {contact}",
    "quarantine.retry": "Retry",
    "quarantine.discard": "Discard",
    "quarantine.retried": "Put back.",
    "quarantine.still_failing": "Still failing; it stays in quarantine with the new reason.",
    "quarantine.discarded": "Discarded.",
    "quarantine.gone": "Already handled by someone else.",
    "quarantine.count.one": "{count} row in quarantine",
    "quarantine.count.other": "{count} rows in quarantine",
    "quarantine.review": "Review",
}

FR = {
    "nav.quarantine": "Quarantaine",
    "quarantine.title": "Quarantaine",
    "quarantine.hint": (
        "Les lignes que le moteur ou l'expéditeur n'ont pas pu traiter. Tous les autres ont continué ; "
        "celles-ci attendent ici. Réessayer remet une ligne en route une fois la cause corrigée ; "
        "Abandonner y renonce."
    ),
    "quarantine.empty": "Rien en quarantaine.",
    "quarantine.kind.event": "Événement",
    "quarantine.kind.enrollment": "Parcours d'un contact",
    "quarantine.kind.outbox": "Message",
    "quarantine.journey": "parcours {journey}",
    "quarantine.contact": "contact {contact}",
    "quarantine.retry": "Réessayer",
    "quarantine.discard": "Abandonner",
    "quarantine.retried": "Remis en route.",
    "quarantine.still_failing": "Échoue encore ; la ligne reste en quarantaine avec la nouvelle raison.",
    "quarantine.discarded": "Abandonné.",
    "quarantine.gone": "Déjà traité par quelqu'un d'autre.",
    "quarantine.count.one": "{count} ligne en quarantaine",
    "quarantine.count.other": "{count} lignes en quarantaine",
    "quarantine.review": "Examiner",
}
