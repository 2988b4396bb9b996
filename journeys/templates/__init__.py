"""Journey templates shipped with Parcours: one canonical JSON document per use case.

Each template is written in English; ``translations/<lang>.json`` gives, per template, its name, description and
category and, per step, its name and message texts in another language. ``load(lang)`` applies them, so a French
marketer starts from a French journey.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from journeys.document import JourneyDocument, parse

TEMPLATE_DIR = Path(__file__).parent
TRANSLATION_DIR = TEMPLATE_DIR / "translations"


@cache
def translations(lang: str) -> dict[str, Any]:
    """Every template's texts in ``lang``, by template slug (empty for English or an unknown language)."""
    path = TRANSLATION_DIR / f"{lang}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


@dataclass(frozen=True)
class Template:
    slug: str
    name: str
    description: str
    category: str
    path: Path

    def load(self, lang: str = "en") -> JourneyDocument:
        raw = json.loads(self.path.read_text(encoding="utf-8"))
        texts = translations(lang).get(self.slug)
        if texts:
            raw["name"], raw["description"] = texts["name"], texts["description"]
            raw.setdefault("graph", {})["category"] = texts.get("category", "")
            for node in raw.get("nodes", []):
                step = texts.get("nodes", {}).get(node["id"], {})
                node["name"] = step.get("name", node.get("name", ""))
                node.setdefault("config", {}).update(step.get("config", {}))
        return parse(raw)

    def translated(self, lang: str) -> Template:
        """This template as listed in ``lang``: its name, description and category."""
        texts = translations(lang).get(self.slug)
        if not texts:
            return self
        return replace(self, name=texts["name"], description=texts["description"], category=texts.get("category", ""))


@cache
def list_templates() -> tuple[Template, ...]:
    found = []
    for path in sorted(TEMPLATE_DIR.glob("*.json")):
        doc = parse(path.read_text(encoding="utf-8"))
        found.append(
            Template(
                slug=path.stem,
                name=doc.name,
                description=doc.description,
                category=str(doc.graph.get("category", "")),
                path=path,
            )
        )
    return tuple(found)


def get_template(slug: str) -> Template | None:
    return next((t for t in list_templates() if t.slug == slug), None)
