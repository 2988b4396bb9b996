"""Builder strings about steps: each node type's name and help, and each validation problem."""

_NODES_EN = {
    "entry.event": ("Event trigger", "Contacts enter when they perform an event."),
    "entry.segment": ("Segment entry", "Contacts enter when they start matching a segment."),
    "entry.schedule": ("Scheduled entry", "Enrol a segment or everyone at a set time, once or on repeat."),
    "entry.date": ("Date trigger", "Contacts enter around a date stored on their profile."),
    "entry.api": ("API trigger", "Your backend enrols contacts with an API call."),
    "wait.duration": ("Wait", "Pause for a set time."),
    "wait.until": ("Wait until", "Pause until a time of day or a date in the contact's time zone."),
    "wait.event": ("Wait for event", "Pause until the contact does something, or give up after a timeout."),
    "branch": ("Yes/No branch", "Send contacts down Yes or No depending on a condition."),
    "branch.multi": ("Multi-way branch", "Several paths; each contact takes the first that matches."),
    "split": ("A/B split", "Randomly divide contacts by percentage, with an optional control group."),
    "message.push": ("Push", "A push notification to the contact's devices."),
    "message.sms": ("SMS", "A text message to the contact's phone."),
    "message.email": ("Email", "An email to the contact's address."),
    "message.in_app": ("In-app message", "A message shown inside your app the next time it opens."),
    "webhook": ("Webhook", "Call another system over HTTP."),
    "update_attribute": ("Update attribute", "Change the contact's profile."),
    "goal": ("Goal", "Count contacts who reach this point as converted."),
    "exit": ("Exit", "The contact leaves the journey here."),
}
_NODES_FR = {
    "entry.event": ("Déclencheur événement", "Les contacts entrent lorsqu'ils réalisent un événement."),
    "entry.segment": ("Entrée par segment", "Les contacts entrent lorsqu'ils commencent à correspondre à un segment."),
    "entry.schedule": (
        "Entrée planifiée",
        "Inscrire un segment ou tout le monde à une heure fixe, une fois ou en boucle.",
    ),
    "entry.date": ("Déclencheur date", "Les contacts entrent autour d'une date enregistrée sur leur profil."),
    "entry.api": ("Déclencheur API", "Votre serveur inscrit les contacts par un appel d'API."),
    "wait.duration": ("Attente", "Faire une pause pendant une durée donnée."),
    "wait.until": ("Attendre jusqu'à", "Attendre une heure ou une date dans le fuseau horaire du contact."),
    "wait.event": ("Attendre un événement", "Attendre une action du contact, ou abandonner après un délai."),
    "branch": ("Condition Oui/Non", "Orienter les contacts vers Oui ou Non selon une condition."),
    "branch.multi": ("Aiguillage multiple", "Plusieurs chemins ; chaque contact prend le premier qui correspond."),
    "split": ("Test A/B", "Répartir les contacts au hasard par pourcentage, avec un groupe témoin facultatif."),
    "message.push": ("Push", "Une notification push sur les appareils du contact."),
    "message.sms": ("SMS", "Un SMS sur le téléphone du contact."),
    "message.email": ("E-mail", "Un e-mail à l'adresse du contact."),
    "message.in_app": ("Message in-app", "Un message affiché dans votre application à sa prochaine ouverture."),
    "webhook": ("Webhook", "Appeler un autre système en HTTP."),
    "update_attribute": ("Mettre à jour un attribut", "Modifier le profil du contact."),
    "goal": ("Objectif", "Compter comme convertis les contacts qui atteignent ce point."),
    "exit": ("Sortie", "Le contact quitte le parcours ici."),
}


def _nodes(table: dict[str, tuple[str, str]]) -> dict[str, str]:
    out = {}
    for node_type, (label, help_text) in table.items():
        out[f"builder.node.{node_type}"] = label
        out[f"builder.node_help.{node_type}"] = help_text
    return out


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

EN = _nodes(_NODES_EN) | {f"builder.violation.{code}": text for code, text in _VIOLATIONS_EN.items()}
FR = _nodes(_NODES_FR) | {f"builder.violation.{code}": text for code, text in _VIOLATIONS_FR.items()}
