"""Strings of revenue and ROI: holdouts, the revenue settings, revenue panels and uplift in words."""

EN = {
    "roi.reason.holdout": "Journey holdout: held back on purpose to measure what the journey adds",
    "roi.reason.control_group": "Workspace control group: gets no marketing, to measure the whole programme",
    "roi.title": "Revenue",
    "roi.kpi.revenue": "Revenue attributed",
    "roi.kpi.per_recipient": "Revenue per recipient",
    "roi.kpi.recipients": "Recipients",
    "roi.unconverted": "Also {amounts} not converted (no exchange rate in Settings).",
    "roi.no_revenue": "No revenue yet: conversions with a revenue, total or value appear here.",
    "roi.panel.variants": "Revenue by variant",
    "roi.panel.messages": "Revenue by message (the last message before the conversion)",
    "roi.panel.holdout": "Contacts who got the messages against the holdout",
    "roi.no_holdout": "No holdout: set a holdout share in the journey's settings to measure what it adds.",
    "roi.col.variant": "Variant",
    "roi.col.message": "Message",
    "roi.col.recipients": "Recipients",
    "roi.col.conversions": "Conversions",
    "roi.col.revenue": "Revenue",
    "roi.col.per_recipient": "Revenue per recipient",
    "roi.col.unconverted": "Not converted",
    "roi.col.group": "Group",
    "roi.col.contacts": "Contacts",
    "roi.col.rate": "Conversion rate",
    "roi.col.per_contact": "Revenue per contact",
    "roi.group.treated": "Got the messages",
    "roi.group.holdout": "Holdout",
    "roi.group.control_group": "Control group",
    "roi.alt.revenue": "Revenue: {items}",
    "roi.alt.groups": "Revenue per contact: {items}",
    "roi.uplift.too_few": "Not enough contacts yet to compare with those held out.",
    "roi.uplift.journey.added": "This journey added about {amount} (between {low} and {high}) over the holdout.",
    "roi.uplift.journey.lost": "Contacts who got this journey's messages brought about {amount} less than the "
    "holdout (between {low} and {high}).",
    "roi.uplift.journey.unclear": "No clear difference yet: this journey added about {amount} over the holdout, "
    "but it could be anywhere between {low} and {high}.",
    "roi.uplift.programme.added": "Your journeys added about {amount} (between {low} and {high}) over the "
    "control group.",
    "roi.uplift.programme.lost": "Contacts who got your journeys brought about {amount} less than the control "
    "group (between {low} and {high}).",
    "roi.uplift.programme.unclear": "No clear difference yet: your journeys added about {amount} over the "
    "control group, but it could be anywhere between {low} and {high}.",
    "roi.rate.clear": "Conversion rate: {diff} points over those held out (between {low} and {high}).",
    "roi.rate.unclear": "Conversion rate: {diff} points over those held out (between {low} and {high}: "
    "not a clear difference yet).",
    "roi.dashboard.revenue": "Revenue attributed in the period",
    "roi.dashboard.no_revenue": "— (no conversion with a revenue in the period)",
    "roi.settings.title": "Revenue",
    "roi.settings.hint": "Conversions carry the revenue of their goal event (its revenue, total or value). "
    "Amounts in other currencies are converted with these rates; a currency without a rate is shown as "
    "it is, never guessed.",
    "roi.settings.currency": "Workspace currency",
    "roi.settings.rates": "Exchange rates: 1 unit of the currency is worth this much in the workspace currency",
    "roi.settings.rate_code": "Currency (e.g. USD)",
    "roi.settings.rate_value": "Rate",
    "roi.settings.add_rate": "Add a rate",
    "roi.settings.remove_rate": "Remove",
    "roi.settings.control_group": "Workspace control group (% of contacts)",
    "roi.settings.control_group.hint": "This share of contacts, always the same people, gets no marketing "
    "message from any journey (transactional messages still go), so the dashboard can show what all your "
    "journeys together add. 0 turns it off; at most 50.",
    "roi.settings.saved": "Revenue settings saved.",
    "roi.settings.invalid": "Not saved: {field}: {problem}",
    "roi.field.currency": "workspace currency",
    "roi.field.rates": "exchange rates",
    "roi.field.control_group_percent": "control group",
    "roi.builder.holdout": "Holdout (% of entrants)",
    "roi.builder.holdout.hint": "This share of entrants, chosen by contact and always the same people, walks "
    "the journey without getting any message, so analytics can show what the journey adds. 0 to 50.",
}

FR = {
    "roi.reason.holdout": "Groupe de contrôle du parcours : écarté volontairement pour mesurer ce qu'il apporte",
    "roi.reason.control_group": "Groupe témoin de l'espace : ne reçoit aucun marketing, pour mesurer l'ensemble",
    "roi.title": "Chiffre d'affaires",
    "roi.kpi.revenue": "Chiffre d'affaires attribué",
    "roi.kpi.per_recipient": "Chiffre d'affaires par destinataire",
    "roi.kpi.recipients": "Destinataires",
    "roi.unconverted": "Plus {amounts} non convertis (aucun taux de change dans les Paramètres).",
    "roi.no_revenue": "Pas encore de chiffre d'affaires : les conversions avec un montant (revenue, total ou "
    "value) apparaissent ici.",
    "roi.panel.variants": "Chiffre d'affaires par variante",
    "roi.panel.messages": "Chiffre d'affaires par message (le dernier message avant la conversion)",
    "roi.panel.holdout": "Contacts ayant reçu les messages face au groupe de contrôle",
    "roi.no_holdout": "Pas de groupe de contrôle : fixez une part dans les réglages du parcours pour mesurer ce "
    "qu'il apporte.",
    "roi.col.variant": "Variante",
    "roi.col.message": "Message",
    "roi.col.recipients": "Destinataires",
    "roi.col.conversions": "Conversions",
    "roi.col.revenue": "Chiffre d'affaires",
    "roi.col.per_recipient": "Chiffre d'affaires par destinataire",
    "roi.col.unconverted": "Non converti",
    "roi.col.group": "Groupe",
    "roi.col.contacts": "Contacts",
    "roi.col.rate": "Taux de conversion",
    "roi.col.per_contact": "Chiffre d'affaires par contact",
    "roi.group.treated": "Ont reçu les messages",
    "roi.group.holdout": "Groupe de contrôle",
    "roi.group.control_group": "Groupe témoin",
    "roi.alt.revenue": "Chiffre d'affaires : {items}",
    "roi.alt.groups": "Chiffre d'affaires par contact : {items}",
    "roi.uplift.too_few": "Pas encore assez de contacts pour comparer avec ceux mis de côté.",
    "roi.uplift.journey.added": "Ce parcours a rapporté environ {amount} de plus (entre {low} et {high}) que le "
    "groupe de contrôle.",
    "roi.uplift.journey.lost": "Les contacts ayant reçu les messages de ce parcours ont rapporté environ {amount} "
    "de moins que le groupe de contrôle (entre {low} et {high}).",
    "roi.uplift.journey.unclear": "Pas encore de différence nette : ce parcours a rapporté environ {amount} de plus "
    "que le groupe de contrôle, mais cela peut aller de {low} à {high}.",
    "roi.uplift.programme.added": "Vos parcours ont rapporté environ {amount} de plus (entre {low} et {high}) que "
    "le groupe témoin.",
    "roi.uplift.programme.lost": "Les contacts ayant reçu vos parcours ont rapporté environ {amount} de moins que "
    "le groupe témoin (entre {low} et {high}).",
    "roi.uplift.programme.unclear": "Pas encore de différence nette : vos parcours ont rapporté environ {amount} "
    "de plus que le groupe témoin, mais cela peut aller de {low} à {high}.",
    "roi.rate.clear": "Taux de conversion : {diff} points de plus que ceux mis de côté (entre {low} et {high}).",
    "roi.rate.unclear": "Taux de conversion : {diff} points par rapport à ceux mis de côté (entre {low} et "
    "{high} : pas encore de différence nette).",
    "roi.dashboard.revenue": "Chiffre d'affaires attribué sur la période",
    "roi.dashboard.no_revenue": "— (aucune conversion avec un montant sur la période)",
    "roi.settings.title": "Chiffre d'affaires",
    "roi.settings.hint": "Les conversions portent le montant de leur événement objectif (revenue, total ou value). "
    "Les montants dans d'autres devises sont convertis avec ces taux ; une devise sans taux est affichée telle "
    "quelle, jamais devinée.",
    "roi.settings.currency": "Devise de l'espace",
    "roi.settings.rates": "Taux de change : ce que vaut 1 unité de la devise dans la devise de l'espace",
    "roi.settings.rate_code": "Devise (ex. USD)",
    "roi.settings.rate_value": "Taux",
    "roi.settings.add_rate": "Ajouter un taux",
    "roi.settings.remove_rate": "Retirer",
    "roi.settings.control_group": "Groupe témoin de l'espace (% des contacts)",
    "roi.settings.control_group.hint": "Cette part des contacts, toujours les mêmes personnes, ne reçoit aucun "
    "message marketing d'aucun parcours (les messages transactionnels partent quand même), pour que le tableau "
    "de bord montre ce que vos parcours apportent ensemble. 0 le désactive ; 50 au plus.",
    "roi.settings.saved": "Réglages du chiffre d'affaires enregistrés.",
    "roi.settings.invalid": "Non enregistré : {field} : {problem}",
    "roi.field.currency": "devise de l'espace",
    "roi.field.rates": "taux de change",
    "roi.field.control_group_percent": "groupe témoin",
    "roi.builder.holdout": "Groupe de contrôle (% des entrants)",
    "roi.builder.holdout.hint": "Cette part des entrants, choisie par contact et toujours les mêmes personnes, "
    "suit le parcours sans recevoir aucun message, pour que les statistiques montrent ce qu'il apporte. De 0 à 50.",
}
