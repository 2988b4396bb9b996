"""Strings of Settings → CRM: contacts imported from HubSpot and Salesforce, journey outcomes written back."""

EN = {
    "crm.title": "CRM",
    "crm.hint": (
        "Contacts changed in your CRM are imported on a schedule (matched to people you already have by email), "
        "and the journey outcomes you choose are written back to their CRM record."
    ),
    "crm.hubspot": "HubSpot",
    "crm.hubspot.token": "Private app access token",
    "crm.hubspot.steps": (
        "In HubSpot, create a private app with the scopes crm.objects.contacts.read and "
        "crm.objects.contacts.write, and paste its access token here. Outcome properties (parcours_last_journey, "
        "parcours_converted, ...) must exist on contacts before they can be written."
    ),
    "crm.salesforce": "Salesforce",
    "crm.salesforce.instance_url": "Instance URL (https://…my.salesforce.com)",
    "crm.salesforce.token": "Access token (connected app)",
    "crm.salesforce.steps": (
        "In Salesforce, create a connected app with the api scope for an integration user who can read Contacts "
        "and edit the fields Parcours writes, and paste your instance URL and an access token here. Map fields by "
        "their API names (FirstName, Loyalty_Tier__c)."
    ),
    "crm.enabled": "Sync on a schedule",
    "crm.minutes": "Every (minutes)",
    "crm.mapping": "Field mapping",
    "crm.mapping.hint": "A CRM property, and the contact field it fills: email, phone or any attribute name.",
    "crm.mapping.source": "CRM property",
    "crm.mapping.target": "Contact field",
    "crm.mapping.add": "Add a field",
    "crm.mapping.remove": "Remove",
    "crm.outcomes": "Outcomes written back",
    "crm.outcome.journey": "Last journey entered",
    "crm.outcome.converted": "Converted",
    "crm.outcome.last_channel": "Channel of the last message",
    "crm.outcome.last_message_at": "Time of the last message",
    "crm.outcome.revenue": "Revenue attributed",
    "crm.saved": "CRM settings saved.",
    "crm.invalid": "Not saved: {problem}",
    "crm.sync_now": "Sync now",
    "crm.running": "Syncing: {pages} pages, {contacts} contacts so far…",
    "crm.never": "Never synced yet.",
    "crm.last_run": "Last run {at} UTC: {contacts} contacts imported, outcomes written for {written}.",
    "crm.last_error": "Stopped: {error}",
    "crm.retry_at": "Next try after {at} UTC.",
    "crm.busy": "A sync is already running.",
    "crm.done": "Sync finished: {contacts} contacts imported.",
    "crm.failed": "Sync stopped: {error}",
}

FR = {
    "crm.title": "CRM",
    "crm.hint": (
        "Les contacts modifiés dans votre CRM sont importés selon un calendrier (rapprochés par e-mail des "
        "personnes que vous avez déjà), et les résultats de parcours choisis sont écrits sur leur fiche CRM."
    ),
    "crm.hubspot": "HubSpot",
    "crm.hubspot.token": "Jeton d'accès de l'application privée",
    "crm.hubspot.steps": (
        "Dans HubSpot, créez une application privée avec les portées crm.objects.contacts.read et "
        "crm.objects.contacts.write, et collez ici son jeton d'accès. Les propriétés de résultat "
        "(parcours_last_journey, parcours_converted, …) doivent exister sur les contacts pour être écrites."
    ),
    "crm.salesforce": "Salesforce",
    "crm.salesforce.instance_url": "URL de l'instance (https://…my.salesforce.com)",
    "crm.salesforce.token": "Jeton d'accès (application connectée)",
    "crm.salesforce.steps": (
        "Dans Salesforce, créez une application connectée avec la portée api pour un utilisateur d'intégration qui "
        "peut lire les contacts et modifier les champs que Parcours écrit, puis collez ici l'URL de votre instance "
        "et un jeton d'accès. Indiquez les champs par leur nom d'API (FirstName, Loyalty_Tier__c)."
    ),
    "crm.enabled": "Synchroniser selon un calendrier",
    "crm.minutes": "Toutes les (minutes)",
    "crm.mapping": "Correspondance des champs",
    "crm.mapping.hint": "Une propriété du CRM et le champ du contact qu'elle remplit : email, phone ou un attribut.",
    "crm.mapping.source": "Propriété du CRM",
    "crm.mapping.target": "Champ du contact",
    "crm.mapping.add": "Ajouter un champ",
    "crm.mapping.remove": "Retirer",
    "crm.outcomes": "Résultats écrits dans le CRM",
    "crm.outcome.journey": "Dernier parcours commencé",
    "crm.outcome.converted": "Converti",
    "crm.outcome.last_channel": "Canal du dernier message",
    "crm.outcome.last_message_at": "Heure du dernier message",
    "crm.outcome.revenue": "Chiffre d'affaires attribué",
    "crm.saved": "Réglages du CRM enregistrés.",
    "crm.invalid": "Non enregistré : {problem}",
    "crm.sync_now": "Synchroniser maintenant",
    "crm.running": "Synchronisation : {pages} pages, {contacts} contacts pour l'instant…",
    "crm.never": "Jamais synchronisé.",
    "crm.last_run": "Dernier passage le {at} UTC : {contacts} contacts importés, résultats écrits pour {written}.",
    "crm.last_error": "Arrêté : {error}",
    "crm.retry_at": "Nouvel essai après {at} UTC.",
    "crm.busy": "Une synchronisation est déjà en cours.",
    "crm.done": "Synchronisation terminée : {contacts} contacts importés.",
    "crm.failed": "Synchronisation arrêtée : {error}",
}
