"""Strings of the generic error page (a server error never shows its details to the user)."""

EN = {
    "error.title": "Something went wrong",
    "error.body": "The server could not complete this request. Nothing you typed is lost on other pages.",
    "error.id": "Error id: {error_id} (give it to your administrator)",
    "error.home": "Back to the journeys",
}

FR = {
    "error.title": "Une erreur est survenue",
    "error.body": "Le serveur n'a pas pu traiter cette demande. Rien de ce que vous avez saisi ailleurs n'est perdu.",
    "error.id": "Identifiant de l'erreur : {error_id} (à transmettre à votre administrateur)",
    "error.home": "Retour aux parcours",
}
