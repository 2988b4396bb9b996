"""Strings of the consent policy (settings), the skip estimate (builder, publish review) and the contact page."""

EN = {
    "consent.title": "Consent",
    "consent.hint": (
        "Who may receive each channel when a contact has not said yes or no there. "
        "An opt-out always wins: a contact who unsubscribed from a channel never receives it."
    ),
    "consent.channel.push": "Push",
    "consent.channel.email": "Email",
    "consent.channel.sms": "SMS",
    "consent.channel.in_app": "In-app",
    "consent.basis.push_token": "Push token (recommended)",
    "consent.basis.push_token.help": (
        "A contact is subscribed as soon as your app reports a push token: the phone's permission prompt is the "
        "consent, as push providers treat it."
    ),
    "consent.basis.opt_in": "Recorded opt-in",
    "consent.basis.opt_in.help": (
        "Only contacts whose consent was recorded (consent trait, form, preference page) receive this channel. "
        "This is what the GDPR asks for marketing by default."
    ),
    "consent.basis.legitimate_interest": "Legitimate interest",
    "consent.basis.legitimate_interest.help": (
        "Existing customers may be messaged unless they opted out. Use it only for customers who bought from you "
        "and were told how to opt out; every change of this choice is audited."
    ),
    "consent.in_app.help": (
        "In-app messages show inside the app the person opened: no separate consent is needed; an opt-out still "
        "stops them."
    ),
    "consent.saved": "Consent policy saved.",
    "consent.unchanged": "Nothing changed.",
}

FR = {
    "consent.title": "Consentement",
    "consent.hint": (
        "Qui peut recevoir chaque canal quand un contact n'a dit ni oui ni non. "
        "Un désabonnement l'emporte toujours : un contact désabonné d'un canal ne le reçoit jamais."
    ),
    "consent.channel.push": "Push",
    "consent.channel.email": "E-mail",
    "consent.channel.sms": "SMS",
    "consent.channel.in_app": "Dans l'app",
    "consent.basis.push_token": "Jeton push (recommandé)",
    "consent.basis.push_token.help": (
        "Un contact est abonné dès que votre app transmet un jeton push : l'autorisation demandée par le téléphone "
        "vaut consentement, comme le considèrent les fournisseurs de push."
    ),
    "consent.basis.opt_in": "Consentement enregistré",
    "consent.basis.opt_in.help": (
        "Seuls les contacts dont le consentement a été enregistré (trait consent, formulaire, page de préférences) "
        "reçoivent ce canal. C'est ce que le RGPD demande par défaut pour le marketing."
    ),
    "consent.basis.legitimate_interest": "Intérêt légitime",
    "consent.basis.legitimate_interest.help": (
        "Les clients existants peuvent être contactés sauf s'ils se sont désabonnés. À réserver aux clients qui "
        "ont acheté chez vous et savent comment se désabonner ; chaque changement de ce choix est journalisé."
    ),
    "consent.in_app.help": (
        "Les messages dans l'app s'affichent dans l'app que la personne a ouverte : aucun consentement séparé "
        "n'est nécessaire ; un désabonnement les arrête quand même."
    ),
    "consent.saved": "Politique de consentement enregistrée.",
    "consent.unchanged": "Rien n'a changé.",
}
