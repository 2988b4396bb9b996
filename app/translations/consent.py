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
    "consent.reach.nobody": "{channel}: no likely recipients yet.",
    "consent.reach.all": "{channel}: all {total} likely recipients can receive it.",
    "consent.reach.head.one": "{channel}: {skipped} of {total} likely recipients would be skipped",
    "consent.reach.head.other": "{channel}: {skipped} of {total} likely recipients would be skipped",
    "consent.reach.line": "{head}: {reasons}.",
    "consent.reach.how": "How to collect consent",
    "consent.reason.no_consent.push.one": "{n} without a push token",
    "consent.reason.no_consent.push.other": "{n} without a push token",
    "consent.reason.no_consent.sms.one": "{n} without SMS consent",
    "consent.reason.no_consent.sms.other": "{n} without SMS consent",
    "consent.reason.no_consent.email.one": "{n} without email consent",
    "consent.reason.no_consent.email.other": "{n} without email consent",
    "consent.reason.no_address.push.one": "{n} without a user id",
    "consent.reason.no_address.push.other": "{n} without a user id",
    "consent.reason.no_address.in_app.one": "{n} without a user id",
    "consent.reason.no_address.in_app.other": "{n} without a user id",
    "consent.reason.no_address.sms.one": "{n} without a phone number",
    "consent.reason.no_address.sms.other": "{n} without a phone number",
    "consent.reason.no_address.email.one": "{n} without an email address",
    "consent.reason.no_address.email.other": "{n} without an email address",
    "consent.reason.unsubscribed.one": "{n} opted out",
    "consent.reason.unsubscribed.other": "{n} opted out",
    "consent.audience.segment.one": "Likely audience: {count} contact in the entry segment.",
    "consent.audience.segment.other": "Likely audience: {count} contacts in the entry segment.",
    "consent.audience.event.one": "Likely audience: {count} contact who sent the entry event in the last 30 days.",
    "consent.audience.event.other": "Likely audience: {count} contacts who sent the entry event in the last 30 days.",
    "consent.audience.everyone.one": "Likely audience: every contact ({count}).",
    "consent.audience.everyone.other": "Likely audience: every contact ({count}).",
    "consent.fix.no_consent.push": (
        "No push: the app has not reported a push token. Mobile SDKs send it as context.device.token once the "
        "person allows notifications."
    ),
    "consent.fix.no_consent.sms": (
        "No SMS: no recorded SMS consent. When the person agrees, the app sends identify with the trait "
        '"consent": {{"sms": true}}.'
    ),
    "consent.fix.no_consent.email": (
        "No email: no recorded email consent. When the person agrees, the app sends identify with the trait "
        '"consent": {{"email": true}}.'
    ),
    "consent.fix.no_address.push": "No push: no user id. The app sends identify with a userId.",
    "consent.fix.no_address.in_app": "No in-app messages: no user id. The app sends identify with a userId.",
    "consent.fix.no_address.sms": "No SMS: no phone number. The app sends identify with the trait phone.",
    "consent.fix.no_address.email": "No email: no email address. The app sends identify with the trait email.",
    "consent.fix.unsubscribed": (
        "{channel}: the person opted out. Only they can opt in again (preference page, or the app's settings "
        "sending the consent trait)."
    ),
    "review.title": "Review and publish",
    "review.first": "First version: the journey goes live as drawn.",
    "review.against": "Changes from version {version}:",
    "review.nothing": "No change: publishing creates an identical version.",
    "review.kind.added": "Added",
    "review.kind.changed": "Changed",
    "review.kind.removed": "Removed",
    "review.settings": "Journey settings or goal changed.",
    "review.connections": "Connections added or removed: {count}",
    "review.problems": "Fix the journey's problems ({count}) before publishing.",
    "review.cancel": "Cancel",
    "review.confirm": "Publish",
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
    "consent.reach.nobody": "{channel} : aucun destinataire probable pour l'instant.",
    "consent.reach.all": "{channel} : les {total} destinataires probables peuvent le recevoir.",
    "consent.reach.head.one": "{channel} : {skipped} destinataire probable sur {total} serait ignoré",
    "consent.reach.head.other": "{channel} : {skipped} destinataires probables sur {total} seraient ignorés",
    "consent.reach.line": "{head} : {reasons}.",
    "consent.reach.how": "Comment recueillir le consentement",
    "consent.reason.no_consent.push.one": "{n} sans jeton push",
    "consent.reason.no_consent.push.other": "{n} sans jeton push",
    "consent.reason.no_consent.sms.one": "{n} sans consentement SMS",
    "consent.reason.no_consent.sms.other": "{n} sans consentement SMS",
    "consent.reason.no_consent.email.one": "{n} sans consentement e-mail",
    "consent.reason.no_consent.email.other": "{n} sans consentement e-mail",
    "consent.reason.no_address.push.one": "{n} sans identifiant utilisateur",
    "consent.reason.no_address.push.other": "{n} sans identifiant utilisateur",
    "consent.reason.no_address.in_app.one": "{n} sans identifiant utilisateur",
    "consent.reason.no_address.in_app.other": "{n} sans identifiant utilisateur",
    "consent.reason.no_address.sms.one": "{n} sans numéro de téléphone",
    "consent.reason.no_address.sms.other": "{n} sans numéro de téléphone",
    "consent.reason.no_address.email.one": "{n} sans adresse e-mail",
    "consent.reason.no_address.email.other": "{n} sans adresse e-mail",
    "consent.reason.unsubscribed.one": "{n} désabonné",
    "consent.reason.unsubscribed.other": "{n} désabonnés",
    "consent.audience.segment.one": "Audience probable : {count} contact dans le segment d'entrée.",
    "consent.audience.segment.other": "Audience probable : {count} contacts dans le segment d'entrée.",
    "consent.audience.event.one": (
        "Audience probable : {count} contact ayant envoyé l'événement d'entrée ces 30 derniers jours."
    ),
    "consent.audience.event.other": (
        "Audience probable : {count} contacts ayant envoyé l'événement d'entrée ces 30 derniers jours."
    ),
    "consent.audience.everyone.one": "Audience probable : tous les contacts ({count}).",
    "consent.audience.everyone.other": "Audience probable : tous les contacts ({count}).",
    "consent.fix.no_consent.push": (
        "Pas de push : l'app n'a pas transmis de jeton push. Les SDK mobiles l'envoient dans context.device.token "
        "dès que la personne autorise les notifications."
    ),
    "consent.fix.no_consent.sms": (
        "Pas de SMS : aucun consentement SMS enregistré. Quand la personne accepte, l'app envoie identify avec le "
        'trait "consent": {{"sms": true}}.'
    ),
    "consent.fix.no_consent.email": (
        "Pas d'e-mail : aucun consentement e-mail enregistré. Quand la personne accepte, l'app envoie identify "
        'avec le trait "consent": {{"email": true}}.'
    ),
    "consent.fix.no_address.push": "Pas de push : aucun identifiant utilisateur. L'app envoie identify avec un userId.",
    "consent.fix.no_address.in_app": (
        "Pas de message dans l'app : aucun identifiant utilisateur. L'app envoie identify avec un userId."
    ),
    "consent.fix.no_address.sms": "Pas de SMS : aucun numéro. L'app envoie identify avec le trait phone.",
    "consent.fix.no_address.email": "Pas d'e-mail : aucune adresse. L'app envoie identify avec le trait email.",
    "consent.fix.unsubscribed": (
        "{channel} : la personne s'est désabonnée. Elle seule peut se réabonner (page de préférences, ou "
        "réglages de l'app envoyant le trait consent)."
    ),
    "review.title": "Vérifier et publier",
    "review.first": "Première version : le parcours est mis en ligne tel qu'il est dessiné.",
    "review.against": "Modifications depuis la version {version} :",
    "review.nothing": "Aucune modification : la publication crée une version identique.",
    "review.kind.added": "Ajouté",
    "review.kind.changed": "Modifié",
    "review.kind.removed": "Supprimé",
    "review.settings": "Réglages ou objectif du parcours modifiés.",
    "review.connections": "Connexions ajoutées ou supprimées : {count}",
    "review.problems": "Corrigez les problèmes du parcours ({count}) avant de publier.",
    "review.cancel": "Annuler",
    "review.confirm": "Publier",
}
