"""Strings of the GDPR area: the hosted preference page and the contact's export and erasure."""

EN = {
    "prefs.title": "Your communication preferences",
    "prefs.intro": "Choose how we may contact you. You can change this at any time.",
    "prefs.invalid": "This link is invalid or has expired. Nothing was changed. Use the link in a recent message.",
    "prefs.channel.email": "Emails",
    "prefs.channel.sms": "Text messages (SMS)",
    "prefs.channel.push": "Mobile notifications",
    "prefs.channel.in_app": "Messages in the app",
    "prefs.save": "Save my choices",
    "prefs.saved": "Your choices are saved.",
    "gdpr.export": "Export data (JSON)",
    "gdpr.erase": "Erase this contact",
    "gdpr.erase_title": "Erase this contact for good?",
    "gdpr.erase_body": "Every trace of this person (profile, events, messages, journeys) is deleted. "
    "This cannot be undone.",
    "gdpr.erase_confirm": "Erase for good",
    "gdpr.cancel": "Cancel",
    "gdpr.erased": "The contact was erased.",
    "gdpr.consent_history": "Consent history",
    "gdpr.no_history": "No consent change recorded.",
    "gdpr.privacy": "Privacy: consent history, export, erasure",
}

FR = {
    "prefs.title": "Vos préférences de communication",
    "prefs.intro": "Choisissez comment nous pouvons vous contacter. Vous pouvez changer d'avis à tout moment.",
    "prefs.invalid": "Ce lien est invalide ou a expiré. Rien n'a été modifié. Utilisez le lien d'un message récent.",
    "prefs.channel.email": "E-mails",
    "prefs.channel.sms": "SMS",
    "prefs.channel.push": "Notifications mobiles",
    "prefs.channel.in_app": "Messages dans l'application",
    "prefs.save": "Enregistrer mes choix",
    "prefs.saved": "Vos choix sont enregistrés.",
    "gdpr.export": "Exporter les données (JSON)",
    "gdpr.erase": "Effacer ce contact",
    "gdpr.erase_title": "Effacer définitivement ce contact ?",
    "gdpr.erase_body": "Toute trace de cette personne (profil, événements, messages, parcours) est supprimée. "
    "Cette action est irréversible.",
    "gdpr.erase_confirm": "Effacer définitivement",
    "gdpr.cancel": "Annuler",
    "gdpr.erased": "Le contact a été effacé.",
    "gdpr.consent_history": "Historique du consentement",
    "gdpr.no_history": "Aucun changement de consentement enregistré.",
    "gdpr.privacy": "Confidentialité : historique du consentement, export, effacement",
}
