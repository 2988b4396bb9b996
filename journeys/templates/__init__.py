"""Journey templates shipped with Parcours: one canonical JSON document per use case."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from journeys.document import JourneyDocument, parse

TEMPLATE_DIR = Path(__file__).parent


@dataclass(frozen=True)
class Template:
    slug: str
    name: str
    description: str
    category: str
    path: Path

    def load(self) -> JourneyDocument:
        return parse(self.path.read_text(encoding="utf-8"))


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
