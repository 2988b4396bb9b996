"""Strings the publish review draws on the canvas: the badges of steps added and changed."""

EN = {
    "reviewcanvas.badge.added": "New",
    "reviewcanvas.badge.changed": "Changed",
    "reviewcanvas.show": "Show on the canvas",
}

FR = {
    "reviewcanvas.badge.added": "Nouveau",
    "reviewcanvas.badge.changed": "Modifié",
    "reviewcanvas.show": "Afficher sur le canevas",
}
