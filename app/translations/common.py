"""Strings of the shared frame and the home page."""

EN = {
    "app.name": "Parcours",
    "nav.journeys": "Journeys",
    "journeys.title": "Journeys",
    "journeys.empty.title": "No journeys yet",
    "journeys.empty.hint": "Import one with: python main.py journey import FILE.json",
    "journeys.not_published": "not published",
}

FR = {
    "app.name": "Parcours",
    "nav.journeys": "Parcours clients",
    "journeys.title": "Parcours clients",
    "journeys.empty.title": "Aucun parcours pour l'instant",
    "journeys.empty.hint": "Importez-en un avec : python main.py journey import FICHIER.json",
    "journeys.not_published": "non publié",
}
