"""Texts of the canvas's own controls: the step search, the "+" picker, the palette and minimap toggles."""

EN = {
    "canvas.search": "Search steps",
    "canvas.no_match": "No step matches",
    "canvas.add_step": "Add a step",
    "canvas.collapse": "Hide the step list",
    "canvas.expand": "Show the step list",
    "canvas.minimap": "Show or hide the mini map",
    "builder.refused.unknown_port": "Not added: that step has no such output.",
    "builder.refused.insert_needs_ports": "Not inserted: only a step with an input and an output fits in a connection.",
}

FR = {
    "canvas.search": "Rechercher une étape",
    "canvas.no_match": "Aucune étape ne correspond",
    "canvas.add_step": "Ajouter une étape",
    "canvas.collapse": "Masquer la liste des étapes",
    "canvas.expand": "Afficher la liste des étapes",
    "canvas.minimap": "Afficher ou masquer la mini-carte",
    "builder.refused.unknown_port": "Non ajoutée : cette étape n'a pas cette sortie.",
    "builder.refused.insert_needs_ports": (
        "Non insérée : seule une étape avec une entrée et une sortie peut s'insérer dans une liaison."
    ),
}
