"""Strings of conversations: the Twilio provider settings, the wait-for-reply step, reply analytics."""

EN = {
    "providers.twilio": "Twilio (SMS, two-way)",
    "providers.sms_provider": "SMS provider",
    "providers.sms_provider.auto": "Automatic (Twilio when set, else OneSignal)",
    "providers.sms_provider.twilio": "Twilio",
    "providers.sms_provider.onesignal": "OneSignal",
    "providers.twilio_account_sid": "Twilio account SID",
    "providers.twilio_auth_token": "Twilio auth token",
    "providers.twilio_from": "Sender number or Messaging Service SID",
    "providers.twilio_api_base": "Twilio API base URL",
    "providers.conversation_unknown_sender": "Replies from unknown numbers",
    "providers.conversation_unknown_sender.drop": "Drop them",
    "providers.conversation_unknown_sender.anonymous": "Create an anonymous contact",
}

FR = {
    "providers.twilio": "Twilio (SMS, bidirectionnel)",
    "providers.sms_provider": "Fournisseur SMS",
    "providers.sms_provider.auto": "Automatique (Twilio s'il est configuré, sinon OneSignal)",
    "providers.sms_provider.twilio": "Twilio",
    "providers.sms_provider.onesignal": "OneSignal",
    "providers.twilio_account_sid": "SID du compte Twilio",
    "providers.twilio_auth_token": "Jeton d'authentification Twilio",
    "providers.twilio_from": "Numéro d'envoi ou SID de Messaging Service",
    "providers.twilio_api_base": "URL de base de l'API Twilio",
    "providers.conversation_unknown_sender": "Réponses de numéros inconnus",
    "providers.conversation_unknown_sender.drop": "Les ignorer",
    "providers.conversation_unknown_sender.anonymous": "Créer un contact anonyme",
}
