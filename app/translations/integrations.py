"""Strings of Settings → Shops: Shopify and WooCommerce webhooks."""

EN = {
    "integrations.title": "Shops",
    "integrations.hint": (
        "Checkouts, orders and customers of your shop become contacts and the events Checkout Started, "
        "Order Completed and Order Refunded, which journeys can start on or wait for. "
        "Every delivery must be signed with the secret below; unsigned or wrongly signed ones are refused."
    ),
    "integrations.no_public_url": (
        "PARCOURS_PUBLIC_URL is not set, so the addresses below are this machine's own: set it to the HTTPS address "
        "the shop can reach."
    ),
    "integrations.shopify": "Shopify",
    "integrations.shopify.shop": "Shop domain (my-shop.myshopify.com)",
    "integrations.shopify.secret": "App secret (API secret key)",
    "integrations.shopify.steps": (
        "In your Shopify app, subscribe to checkouts/create, checkouts/update, orders/create, orders/paid, "
        "refunds/create, customers/create, customers/update and the privacy webhooks, in JSON, at this address."
    ),
    "integrations.woocommerce": "WooCommerce",
    "integrations.woocommerce.shop": "Store domain (shop.example.com)",
    "integrations.woocommerce.secret": "Webhook secret",
    "integrations.woocommerce.steps": (
        "In WooCommerce → Settings → Advanced → Webhooks, add webhooks for Order created, Order updated, "
        "Customer created and Customer updated, with this delivery URL and the same secret."
    ),
    "integrations.address": "Address to paste into the shop",
    "integrations.deliveries": "Last deliveries",
    "integrations.data_requests": "Customer data requests (Shopify)",
    "integrations.no_data_requests": "No data request received.",
    "integrations.data_request.one": "Request of {at}: {count} contact, export to send to the customer:",
    "integrations.data_request.other": "Request of {at}: {count} contacts, exports to send to the customer:",
    "integrations.export_contact": "Export of contact {id}",
    "integrations.refresh": "Refresh",
    "integrations.no_deliveries": "Nothing received yet.",
    "integrations.col.at": "Received",
    "integrations.col.topic": "Topic",
    "integrations.col.outcome": "Outcome",
    "integrations.col.detail": "Detail (as answered to the shop)",
    "integrations.outcome.stored": "Accepted",
    "integrations.outcome.ignored": "Acknowledged, ignored",
    "integrations.outcome.unauthorized": "Refused: signature",
    "integrations.outcome.replay": "Refused: already received",
    "integrations.outcome.invalid": "Refused: invalid",
    "integrations.outcome.error": "Error",
    "integrations.invalid": "Not saved: {problem}",
    "integrations.saved": "Shop settings saved.",
}

FR = {
    "integrations.title": "Boutiques",
    "integrations.hint": (
        "Les paiements commencés, commandes et clients de votre boutique deviennent des contacts et les "
        'événements "Checkout Started", "Order Completed" et "Order Refunded", sur lesquels les parcours peuvent '
        "démarrer ou attendre. Chaque envoi doit être signé avec le secret ci-dessous ; ceux qui ne le sont pas, "
        "ou mal, sont refusés."
    ),
    "integrations.no_public_url": (
        "PARCOURS_PUBLIC_URL n’est pas défini : les adresses ci-dessous sont celles de cette machine. "
        "Indiquez-y l’adresse HTTPS que la boutique peut joindre."
    ),
    "integrations.shopify": "Shopify",
    "integrations.shopify.shop": "Domaine de la boutique (ma-boutique.myshopify.com)",
    "integrations.shopify.secret": "Secret de l’application (clé secrète d’API)",
    "integrations.shopify.steps": (
        "Dans votre application Shopify, abonnez-vous à checkouts/create, checkouts/update, orders/create, "
        "orders/paid, refunds/create, customers/create, customers/update et aux webhooks de confidentialité, "
        "en JSON, à cette adresse."
    ),
    "integrations.woocommerce": "WooCommerce",
    "integrations.woocommerce.shop": "Domaine de la boutique (boutique.example.com)",
    "integrations.woocommerce.secret": "Secret du webhook",
    "integrations.woocommerce.steps": (
        "Dans WooCommerce → Réglages → Avancé → Webhooks, ajoutez des webhooks pour Commande créée, Commande "
        "mise à jour, Client créé et Client mis à jour, avec cette URL de livraison et le même secret."
    ),
    "integrations.address": "Adresse à coller dans la boutique",
    "integrations.deliveries": "Derniers envois reçus",
    "integrations.data_requests": "Demandes de données des clients (Shopify)",
    "integrations.no_data_requests": "Aucune demande de données reçue.",
    "integrations.data_request.one": "Demande du {at} : {count} contact, export à envoyer au client :",
    "integrations.data_request.other": "Demande du {at} : {count} contacts, exports à envoyer au client :",
    "integrations.export_contact": "Export du contact {id}",
    "integrations.refresh": "Actualiser",
    "integrations.no_deliveries": "Rien reçu pour l’instant.",
    "integrations.col.at": "Reçu le",
    "integrations.col.topic": "Sujet",
    "integrations.col.outcome": "Résultat",
    "integrations.col.detail": "Détail (tel que répondu à la boutique)",
    "integrations.outcome.stored": "Accepté",
    "integrations.outcome.ignored": "Reçu, ignoré",
    "integrations.outcome.unauthorized": "Refusé : signature",
    "integrations.outcome.replay": "Refusé : déjà reçu",
    "integrations.outcome.invalid": "Refusé : invalide",
    "integrations.outcome.error": "Erreur",
    "integrations.invalid": "Non enregistré : {problem}",
    "integrations.saved": "Réglages de la boutique enregistrés.",
}
