"""Strings of the live demo: its badge, its notice on the dashboard, its stop button, its provider's name."""

EN = {
    "demo_live.badge": "Demo data (simulated)",
    "demo_live.badge_hint": "Traffic and answers come from a simulated population and the Simulated (demo) provider",
    "demo_live.provider": "Simulated (demo)",
    "demo_live.notice": (
        "Demo data (simulated): a simulated population uses the app and the Simulated (demo) provider delivers, "
        "opens, clicks and converts. Real providers never receive demo messages. Quiet hours are off while the "
        "demo runs."
    ),
    "demo_live.stop": "Stop the demo",
    "demo_live.stopped": "Demo stopped: no more simulated traffic; quiet hours are back on",
    "demo_live.refused": "Demo journey: not sent to a real contact",
}

FR = {
    "demo_live.badge": "Données de démo (simulées)",
    "demo_live.badge_hint": (
        "Le trafic et les réactions viennent d'une population simulée et du fournisseur Simulé (démo)"
    ),
    "demo_live.provider": "Simulé (démo)",
    "demo_live.notice": (
        "Données de démo (simulées) : une population simulée utilise l'application et le fournisseur Simulé (démo) "
        "délivre, ouvre, clique et convertit. Les vrais fournisseurs ne reçoivent jamais de message de démo. Les "
        "heures calmes sont désactivées pendant la démo."
    ),
    "demo_live.stop": "Arrêter la démo",
    "demo_live.stopped": "Démo arrêtée : plus de trafic simulé ; les heures calmes sont réactivées",
    "demo_live.refused": "Parcours de démo : non envoyé à un vrai contact",
}
