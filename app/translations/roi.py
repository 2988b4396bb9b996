"""Strings of revenue and ROI: holdouts, the revenue settings, revenue panels and uplift in words."""

EN = {
    "roi.reason.holdout": "Journey holdout: held back on purpose to measure what the journey adds",
    "roi.reason.control_group": "Workspace control group: gets no marketing, to measure the whole programme",
}

FR = {
    "roi.reason.holdout": "Groupe de contrôle du parcours : écarté volontairement pour mesurer ce qu'il apporte",
    "roi.reason.control_group": "Groupe témoin de l'espace : ne reçoit aucun marketing, pour mesurer l'ensemble",
}
