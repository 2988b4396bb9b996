"""Strings of the user guide page, the demo's display names, account form errors and the simulated provider."""

EN = {
    "demo.segment.push_subscribers": "Push subscribers",
    "demo.consent_actor": "demo workspace",
    "providers.simulated.hint": (
        "Used only by the demo workspace: it pretends to deliver demo messages and plays opens and clicks, and "
        "sends nothing. It cannot be chosen for real sending, and real contacts never reach it."
    ),
    "providers.simulated.running": "Active: the demo is running",
    "providers.simulated.read_only": "read-only",
    "help.nav": "Help",
    "help.technical_link": "Technical documentation (installation, API, command line; in English)",
    "help.technical_title": "Technical documentation",
    "help.back_to_guide": "Back to the user guide",
    "users.set_password": "Change password",
    "users.set_password_title": "Change the password",
    "users.new_password": "New password",
    "users.password_changed": "Password changed.",
    "users.new_password_hint": (
        "10 characters at least. The account's open sessions end at once; give the new password to the person "
        "through a separate channel."
    ),
    "providers.simulated.stopped": "Inactive: the demo is not running",
}

FR = {
    "demo.segment.push_subscribers": "Abonnés push",
    "demo.consent_actor": "espace de démonstration",
    "providers.simulated.hint": (
        "Utilisé uniquement par l'espace de démonstration : il fait comme s'il délivrait les messages de démo et "
        "simule ouvertures et clics, sans rien envoyer. Il ne peut pas être choisi pour de vrais envois, et les "
        "vrais contacts ne l'atteignent jamais."
    ),
    "providers.simulated.running": "Actif : la démo est en cours",
    "providers.simulated.read_only": "lecture seule",
    "help.nav": "Aide",
    "help.technical_link": "Documentation technique (installation, API, ligne de commande ; en anglais)",
    "help.technical_title": "Documentation technique",
    "help.back_to_guide": "Retour au guide d'utilisation",
    "users.set_password": "Changer le mot de passe",
    "users.set_password_title": "Changer le mot de passe",
    "users.new_password": "Nouveau mot de passe",
    "users.password_changed": "Mot de passe changé.",
    "users.new_password_hint": (
        "10 caractères au moins. Les sessions ouvertes du compte se ferment aussitôt ; transmettez le nouveau mot "
        "de passe à la personne par un autre canal."
    ),
    "providers.simulated.stopped": "Inactif : la démo n'est pas lancée",
}
