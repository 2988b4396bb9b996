"""Strings of Settings → Webhooks: the signing secret and the host allow-list."""

EN = {
    "webhooks.title": "Webhooks",
    "webhooks.signing.hint": (
        "Every webhook carries X-Parcours-Signature: sha256=HMAC-SHA256(secret, timestamp + '.' + body). "
        "Give this secret to the systems that receive your webhooks. After a rotation the old secret also signs "
        "for 24 hours, so the header then holds two signatures separated by a comma."
    ),
    "webhooks.signing.secret": "Signing secret",
    "webhooks.signing.set": "Set a secret of your own (16 characters or more)",
    "webhooks.reveal": "Reveal",
    "webhooks.copy": "Copy",
    "webhooks.copied": "Secret copied to the clipboard.",
    "webhooks.rotate": "Rotate",
    "webhooks.rotated": "New signing secret in use.",
    "webhooks.source.environment": "Set by PARCOURS_WEBHOOK_SECRET (change it in the environment).",
    "webhooks.source.settings": "Set here.",
    "webhooks.source.derived": "Derived from the application secret (rotate to get a random one).",
    "webhooks.grace": "The previous secret also signs until {until}.",
    "webhooks.allow.title": "Hosts allowed on internal addresses",
    "webhooks.allow.hint": (
        "Webhooks cannot call loopback, private, link-local or other internal addresses, nor Parcours itself. "
        "List here (one per line, host or host:port) the internal systems journeys may call."
    ),
    "webhooks.allow.hosts": "Allowed hosts",
    "webhooks.allow.invalid": "Not saved: {problem}",
    "webhooks.allow.saved": "Allowed hosts saved ({count}).",
}

FR = {
    "webhooks.title": "Webhooks",
    "webhooks.signing.hint": (
        "Chaque webhook porte X-Parcours-Signature : sha256=HMAC-SHA256(secret, horodatage + '.' + corps). "
        "Donnez ce secret aux systèmes qui reçoivent vos webhooks. Après un renouvellement, l'ancien secret signe "
        "aussi pendant 24 heures : l'en-tête contient alors deux signatures séparées par une virgule."
    ),
    "webhooks.signing.secret": "Secret de signature",
    "webhooks.signing.set": "Choisir votre propre secret (16 caractères ou plus)",
    "webhooks.reveal": "Afficher",
    "webhooks.copy": "Copier",
    "webhooks.copied": "Secret copié dans le presse-papiers.",
    "webhooks.rotate": "Renouveler",
    "webhooks.rotated": "Nouveau secret de signature en service.",
    "webhooks.source.environment": "Défini par PARCOURS_WEBHOOK_SECRET (à changer dans l'environnement).",
    "webhooks.source.settings": "Défini ici.",
    "webhooks.source.derived": "Dérivé du secret de l'application (renouvelez pour en obtenir un aléatoire).",
    "webhooks.grace": "L'ancien secret signe aussi jusqu'au {until}.",
    "webhooks.allow.title": "Hôtes autorisés sur des adresses internes",
    "webhooks.allow.hint": (
        "Les webhooks ne peuvent appeler ni adresse locale, privée, lien-local ou interne, ni Parcours lui-même. "
        "Indiquez ici (un par ligne, hôte ou hôte:port) les systèmes internes que les parcours peuvent appeler."
    ),
    "webhooks.allow.hosts": "Hôtes autorisés",
    "webhooks.allow.invalid": "Non enregistré : {problem}",
    "webhooks.allow.saved": "Hôtes autorisés enregistrés ({count}).",
}
