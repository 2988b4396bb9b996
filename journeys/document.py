"""The journey document: NetworkX node-link JSON (``edges`` key) plus journey metadata.

``networkx.node_link_graph(doc, edges="edges")`` loads an exported journey as it is. Node configs are kept
as given (validated separately, see :mod:`journeys.validation`) so that unknown or broken nodes are reported,
never silently dropped, and export(import(file)) is the same document.
"""

from __future__ import annotations

import json
from typing import Any, Literal

import networkx as nx
from pydantic import BaseModel, ConfigDict, Field, create_model, model_validator

from journeys import codec
from journeys.conditions import PropertyFilter
from journeys.durations import Duration
from journeys.errors import InvalidError
from journeys.fields import TimeZoneName

SCHEMA_VERSION = 1
# Import limits (files, uploads): bytes, steps, connections, and the JSON codec's own (nesting of at most
# codec.MAX_DEPTH levels, finite numbers, 64-bit integers, valid Unicode; see journeys/codec.py).
MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
MAX_NODES = 2_000
MAX_EDGES = 10_000
ID_PATTERN = r"^[A-Za-z0-9_.:\-]{1,80}$"
# A journey's stable key (journeys as code): lower case, starts with a letter or digit, at most 64 characters.
KEY_PATTERN = r"^[a-z0-9][a-z0-9._-]{0,63}$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Position(_Strict):
    x: int | float = 0
    y: int | float = 0


class Node(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    type: str = Field(min_length=1, max_length=80)
    name: str = Field(default="", max_length=200)
    config: dict[str, Any] = Field(default_factory=dict)
    position: Position = Field(default_factory=Position)


class Edge(_Strict):
    id: str = Field(default="", max_length=200)
    source: str = Field(min_length=1)
    target: str = Field(min_length=1)
    port: str = Field(default="next", min_length=1, max_length=80)

    @model_validator(mode="after")
    def _default_id(self) -> Edge:
        if not self.id:
            self.id = edge_id(self.source, self.port, self.target)
        return self


def edge_id(source: str, port: str, target: str) -> str:
    return f"{source}:{port}->{target}"


class Reentry(_Strict):
    mode: Literal["never", "after_exit", "limit"] = Field(
        default="never", description="never; again once the previous run ended; or at most max_entries times"
    )
    max_entries: int | None = Field(default=None, ge=1, le=1_000_000)

    @model_validator(mode="after")
    def _limit_needs_max(self) -> Reentry:
        if self.mode == "limit" and self.max_entries is None:
            raise ValueError("re-entry mode 'limit' needs max_entries")
        return self


class FrequencyCap(_Strict):
    channel: Literal["push", "sms", "email", "in_app", "webhook"]
    max_messages: int = Field(ge=1, le=10_000)
    per: Duration


class JourneySettings(_Strict):
    reentry: Reentry = Field(default_factory=Reentry)
    when_paused: Literal["hold", "refuse"] = Field(
        default="hold", description="While paused, new entries wait (hold) or are turned away (refuse)"
    )
    exit_events: list[str] = Field(default_factory=list, description="Events that remove a contact at once")
    # None: the workspace default time zone (settings) applies. Documents saved before this was optional carry
    # "UTC" written out like any default, which cannot be told apart from a deliberate choice: they keep UTC.
    default_time_zone: TimeZoneName | None = Field(
        default=None, description="Used when a contact has no time zone; empty: the workspace default"
    )
    frequency_caps: list[FrequencyCap] = Field(default_factory=list, description="Per-journey caps")
    holdout_percent: int = Field(
        default=0,
        ge=0,
        le=50,
        description="Share of entrants (0-50%) who get no messages but are tracked, to measure what the journey adds",
    )


class Goal(_Strict):
    event: str = Field(min_length=1, description="Conversion event, e.g. Order Completed")
    window: Duration = Field(default_factory=lambda: Duration(amount=7, unit="days"))
    filters: list[PropertyFilter] = Field(default_factory=list)
    exit_on_goal: bool = Field(default=True, description="Contacts who convert leave the journey")


class JourneyDocument(_Strict):
    schema_version: Literal[1] = SCHEMA_VERSION
    key: str | None = Field(
        default=None,
        pattern=KEY_PATTERN,
        description="Stable key that `journey apply` matches on: lower-case letters, digits, '.', '_', '-'",
    )
    name: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=5_000)
    settings: JourneySettings = Field(default_factory=JourneySettings)
    goal: Goal | None = None
    directed: Literal[True] = True
    multigraph: Literal[True] = True
    graph: dict[str, Any] = Field(default_factory=dict)
    nodes: list[Node] = Field(default_factory=list, max_length=MAX_NODES)
    edges: list[Edge] = Field(default_factory=list, max_length=MAX_EDGES)

    def node(self, node_id: str) -> Node | None:
        return next((n for n in self.nodes if n.id == node_id), None)


class DocumentError(InvalidError):
    """A document that cannot be read at all: not JSON, too large, wrong schema version, bad shape."""

    def __init__(self, message: str, location: str = "") -> None:
        super().__init__(f"{location}: {message}" if location else message)
        self.location = location
        self.reason = message

    status = 400  # cannot be read at all, unlike a readable journey with problems (422)

    def body(self) -> dict[str, Any]:
        where = self.location if self.location and not self.location.startswith("line ") else f"body: {self.location}"
        return {"detail": f"{where.rstrip(': ')}: {self.reason}"[:1000]}


def _location(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "document"


def parse(raw: str | bytes | dict[str, Any]) -> JourneyDocument:
    """Read a document from text or a decoded dict, or raise DocumentError naming the first problem.

    Text always comes from outside (a file, an upload), so it gets the import limits; a dict from outside
    should go through ``check_limits`` first (stored drafts were checked when they came in).
    """
    from pydantic import ValidationError

    if isinstance(raw, str | bytes):
        data = _decode(raw)
        check_limits(data)
    else:
        data = raw
    if not isinstance(data, dict):
        raise DocumentError("a journey document must be a JSON object")
    version = data.get("schema_version")
    if version != SCHEMA_VERSION:
        raise DocumentError(
            f"unsupported schema_version {version!r}; this Parcours reads {SCHEMA_VERSION}", "schema_version"
        )
    try:
        return JourneyDocument.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise DocumentError(first["msg"], _location(first["loc"])) from exc


def _decode(raw: str | bytes) -> Any:
    if len(raw) > MAX_DOCUMENT_BYTES:
        raise DocumentError(f"file is {len(raw):,} bytes; the limit is {MAX_DOCUMENT_BYTES:,}")
    try:
        return json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        where = f"line {exc.lineno} column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else ""
        raise DocumentError(f"not valid JSON ({getattr(exc, 'msg', exc)})", where) from exc
    except RecursionError:  # far deeper than the limit: the parser gave up before check_limits could look
        text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
        raise DocumentError(f"nesting deeper than {codec.MAX_DEPTH} levels is not allowed", _too_deep(text)) from None


def _too_deep(text: str) -> str:
    """``line L column C`` of the first bracket beyond the nesting limit (strings skipped)."""
    depth, in_string, escaped, line, column = 0, False, False, 1, 0
    for char in text:
        column += 1
        if in_string:
            escaped, in_string = (False, True) if escaped else (char == "\\", char != '"')
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > codec.MAX_DEPTH:
                return f"line {line} column {column}"
        elif char in "]}":
            depth -= 1
        elif char == "\n":
            line, column = line + 1, 0
    return ""


def check_limits(data: Any) -> None:
    """The import limits a document from outside must meet before it is parsed; raises DocumentError."""
    if problems := codec.check(data):
        raise DocumentError(problems[0].message, problems[0].path or "document")


def to_dict(doc: JourneyDocument) -> dict[str, Any]:
    data = doc.model_dump(mode="json")
    if data.get("key") is None:  # documents without a key stay exactly as they were written
        data.pop("key", None)
    if not data["settings"].get("holdout_percent"):  # likewise journeys without a holdout
        data["settings"].pop("holdout_percent", None)
    return data


def key_from_name(name: str) -> str:
    """A key in KEY_PATTERN made from a journey name: "Abandoned cart: SMS" -> "abandoned-cart-sms"."""
    import re
    import unicodedata

    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")[:56].rstrip("-")
    return slug or "journey"


def without_key(doc: JourneyDocument) -> JourneyDocument:
    """The document as stored: the key lives on the journey row, never inside drafts and versions."""
    return doc.model_copy(update={"key": None})


def dumps(doc: JourneyDocument) -> str:
    """Canonical text: sorted keys, two-space indent, trailing newline, so exports diff cleanly."""
    return json.dumps(to_dict(doc), sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def to_graph(doc: JourneyDocument) -> nx.MultiDiGraph:
    """The journey as a NetworkX multigraph (two ports of one node may lead to the same step)."""
    return nx.node_link_graph(to_dict(doc), edges="edges")


def from_graph(graph: nx.MultiDiGraph, **metadata: Any) -> JourneyDocument:
    data = nx.node_link_data(graph, edges="edges")
    for edge in data["edges"]:
        edge.pop("key", None)
    data.update(metadata)
    data.setdefault("schema_version", SCHEMA_VERSION)
    return parse(data)


def json_schema() -> dict[str, Any]:
    """JSON Schema of the document with each node type's config spelled out (discriminated by ``type``)."""
    from journeys.nodes import REGISTRY  # the node modules read this module's types: import them late

    typed_nodes = []
    for node_type, spec in REGISTRY.items():
        model_name = "".join(part.capitalize() for part in node_type.replace("_", ".").split(".")) + "Node"
        typed_nodes.append(
            create_model(
                model_name,
                __base__=Node,
                __doc__=spec.description,
                type=(Literal[node_type], ...),  # type: ignore[valid-type]
                config=(spec.config_model, ...),
            )
        )
    from typing import Annotated, Union

    node_union = Annotated[Union[tuple(typed_nodes)], Field(discriminator="type")]  # noqa: UP007
    schema_model = create_model(
        "JourneyDocumentSchema", __base__=JourneyDocument, nodes=(list[node_union], Field(default_factory=list))
    )  # type: ignore[valid-type]
    schema = schema_model.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Parcours journey document"
    return schema
