"""Builder strings about steps: each validation problem (node types' own texts are in their modules)."""

_VIOLATIONS_EN = {
    "duplicate_id": "Two steps share an id",
    "unknown_type": "Unknown step type",
    "invalid_config": "Setting missing or wrong",
    "template_syntax": "Message template error",
    "split_weights": "Percentages do not add up to 100",
    "dangling_edge": "Connection to a missing step",
    "entry_incoming": "Connection into the entry",
    "unknown_port": "Connection from an output that no longer exists",
    "port_reused": "Output connected twice",
    "port_missing": "Output not connected",
    "no_entry": "No entry step",
    "multiple_entries": "More than one entry step",
    "cycle": "Loop",
    "unreachable": "Step cannot be reached",
    "dead_end": "Path stops here",
}
_VIOLATIONS_FR = {
    "duplicate_id": "Deux étapes ont le même identifiant",
    "unknown_type": "Type d'étape inconnu",
    "invalid_config": "Réglage manquant ou incorrect",
    "template_syntax": "Erreur dans le modèle de message",
    "split_weights": "Les pourcentages ne font pas 100",
    "dangling_edge": "Liaison vers une étape disparue",
    "entry_incoming": "Liaison vers l'entrée",
    "unknown_port": "Liaison depuis une sortie qui n'existe plus",
    "port_reused": "Sortie reliée deux fois",
    "port_missing": "Sortie non reliée",
    "no_entry": "Aucune étape d'entrée",
    "multiple_entries": "Plusieurs étapes d'entrée",
    "cycle": "Boucle",
    "unreachable": "Étape inaccessible",
    "dead_end": "Le chemin s'arrête ici",
}

EN = {f"builder.violation.{code}": text for code, text in _VIOLATIONS_EN.items()}
FR = {f"builder.violation.{code}": text for code, text in _VIOLATIONS_FR.items()}
