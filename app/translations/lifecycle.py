"""Strings of journey lifecycle settings (time zone inherited from the workspace)."""

EN = {
    "builder.settings.time_zone_inherit": "Leave empty to use the workspace default time zone (Settings).",
}

FR = {
    "builder.settings.time_zone_inherit": (
        "Laisser vide pour utiliser le fuseau horaire par défaut de l'espace (Réglages)."
    ),
}
