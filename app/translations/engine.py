"""Strings of the outbox page (sent, failed and sandbox messages)."""

EN = {
    "outbox.title": "Outbox",
    "outbox.hint": "Messages the journeys decided to send. Channels without a provider go to the sandbox.",
    "outbox.empty": "No messages yet.",
    "outbox.filter.all": "All",
    "outbox.status.pending": "Waiting",
    "outbox.status.sent": "Sent",
    "outbox.status.failed": "Failed",
    "outbox.status.sandbox": "Sandbox",
    "outbox.col.channel": "Channel",
    "outbox.col.contact": "Contact",
    "outbox.col.content": "Content",
    "outbox.col.status": "Status",
    "outbox.col.error": "Reason",
}

FR = {
    "outbox.title": "Boîte d'envoi",
    "outbox.hint": (
        "Les messages que les parcours ont décidé d'envoyer. Sans fournisseur, un canal part dans le bac à sable."
    ),
    "outbox.empty": "Aucun message pour l'instant.",
    "outbox.filter.all": "Tous",
    "outbox.status.pending": "En attente",
    "outbox.status.sent": "Envoyé",
    "outbox.status.failed": "Échec",
    "outbox.status.sandbox": "Bac à sable",
    "outbox.col.channel": "Canal",
    "outbox.col.contact": "Contact",
    "outbox.col.content": "Contenu",
    "outbox.col.status": "Statut",
    "outbox.col.error": "Motif",
}
