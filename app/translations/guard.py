"""Access re-checked at each action (app/access/guard.py) and the two kinds of API credentials (keys, tokens)."""

EN = {
    "guard.refused": "Your role no longer allows this (it needs {role}). Nothing was changed.",
    "guard.signed_out": "Your session has ended (account deactivated or password changed). Nothing was changed; "
    "please sign in again.",
    "tokens.title": "Management API tokens",
    "tokens.hint": "Tokens let scripts and back ends use the management API (exports, erasure, the outbox) with "
    "a viewer or marketer role, never admin. A token is shown only once, when it is created.",
    "tokens.name": "Token name (e.g. CRM sync)",
    "tokens.role": "Role",
    "tokens.create": "Create a token",
    "tokens.none": "No management tokens yet.",
    "tokens.revoke": "Revoke",
    "tokens.revoked": "revoked",
    "tokens.revoked_done": "Token revoked.",
    "tokens.never_used": "never used",
    "tokens.last_used": "last used {when}",
    "tokens.name_required": "Give the token a name.",
    "tokens.shown_once": "New token “{name}”: copy it now, it will not be shown again.",
}

FR = {
    "guard.refused": "Votre rôle ne permet plus cette action (il faut : {role}). Rien n'a été modifié.",
    "guard.signed_out": "Votre session a pris fin (compte désactivé ou mot de passe changé). Rien n'a été "
    "modifié ; veuillez vous reconnecter.",
    "tokens.title": "Jetons de l'API de gestion",
    "tokens.hint": "Les jetons permettent à des scripts et à votre serveur d'utiliser l'API de gestion (exports, "
    "effacement, file d'envoi) avec le rôle lecteur ou marketeur, jamais administrateur. Un jeton n'est affiché "
    "qu'une fois, à sa création.",
    "tokens.name": "Nom du jeton (ex. : synchro CRM)",
    "tokens.role": "Rôle",
    "tokens.create": "Créer un jeton",
    "tokens.none": "Aucun jeton pour l'instant.",
    "tokens.revoke": "Révoquer",
    "tokens.revoked": "révoqué",
    "tokens.revoked_done": "Jeton révoqué.",
    "tokens.never_used": "jamais utilisé",
    "tokens.last_used": "dernière utilisation {when}",
    "tokens.name_required": "Donnez un nom au jeton.",
    "tokens.shown_once": "Nouveau jeton « {name} » : copiez-le maintenant, il ne sera plus affiché.",
}
