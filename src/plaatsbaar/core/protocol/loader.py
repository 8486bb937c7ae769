"""Load and validate protocol files, with errors that name file, line and field."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml
from pydantic import ValidationError

from plaatsbaar.core.protocol.model import CONDITION_TAG, Protocol


@dataclass(frozen=True)
class ProtocolProblem:
    """One problem in a protocol file: where (line, field path) and what."""

    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"regel {self.line}" if self.line else "bestand"
        return f"{where}, veld {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class ProtocolError(ValueError):
    """A protocol file that cannot be used; ``problems`` lists each one."""

    def __init__(self, path: Path | str, problems: list[ProtocolProblem]):
        self.path = str(path)
        self.problems = problems
        lines = "\n".join(f"  {self.path}: {p}" for p in problems)
        super().__init__(f"protocolbestand {self.path} is ongeldig:\n{lines}")


def _node_at(node: yaml.Node, loc: tuple) -> yaml.Node:
    """The deepest YAML node along a pydantic error location."""
    for key in loc:
        if isinstance(key, str) and key.startswith(CONDITION_TAG):
            continue
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if k.value == key), None)
            if match is None:
                return node
            node = match
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
        else:
            continue  # union branch names and the like: not in the file
    return node


def _field_path(loc: tuple) -> str:
    parts: list[str] = []
    for key in loc:
        if isinstance(key, int):
            parts.append(f"[{key}]")
        elif str(key).startswith(CONDITION_TAG):
            continue
        else:
            parts.append(("." if parts else "") + str(key))
    return "".join(parts)


def _read_yaml(path: Path, text: str) -> tuple[object, yaml.Node | None]:
    try:
        return yaml.safe_load(text), yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise ProtocolError(path, [ProtocolProblem(line, "", f"geen geldige YAML: {problem}")]) from None


def _problems(error: ValidationError, root: yaml.Node | None) -> list[ProtocolProblem]:
    seen: set[tuple[int | None, str]] = set()
    problems = []
    for item in error.errors():
        loc = tuple(item["loc"]) + tuple(getattr(item.get("ctx", {}).get("error"), "loc", ()))
        node = _node_at(root, loc) if root is not None else None
        line = node.start_mark.line + 1 if node is not None else None
        field = _field_path(loc)
        message = item["msg"].removeprefix("Value error, ")
        if (line, field) in seen:  # one message per place: union branches repeat themselves
            continue
        seen.add((line, field))
        problems.append(ProtocolProblem(line, field, message))
    return problems


def parse_protocol(text: str, path: Path | str = "<tekst>") -> Protocol:
    """Validate protocol YAML ``text``; raises :class:`ProtocolError`."""
    path = Path(path)
    data, root = _read_yaml(path, text)
    if not isinstance(data, dict):
        raise ProtocolError(path, [ProtocolProblem(1, "", "verwacht een mapping met id, articles en rules")])
    try:
        return Protocol.model_validate(data)
    except ValidationError as exc:
        raise ProtocolError(path, _problems(exc, root)) from None


def load_protocol(path: Path | str) -> Protocol:
    """Read and validate a protocol file; raises :class:`ProtocolError`
    (also for a missing or unreadable file)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ProtocolError(path, [ProtocolProblem(None, "", f"kan bestand niet lezen ({exc.__class__.__name__})")]) from None
    return parse_protocol(text, path)


def builtin_protocol_dir() -> Path:
    """The folder with the shipped protocol files."""
    return Path(str(resources.files("plaatsbaar") / "protocols"))


def builtin_protocol_ids() -> list[str]:
    """Ids of the shipped protocols, sorted."""
    return sorted(p.stem for p in builtin_protocol_dir().glob("*.yaml"))


def get_protocol(id_or_path: str) -> Protocol:
    """A shipped protocol by id, or a protocol file by path.

    Raises :class:`ProtocolError` for an unknown id or a bad file.
    """
    candidate = builtin_protocol_dir() / f"{id_or_path}.yaml"
    if candidate.is_file():
        return load_protocol(candidate)
    if Path(id_or_path).suffix in (".yaml", ".yml") and Path(id_or_path).exists():
        return load_protocol(id_or_path)
    known = ", ".join(builtin_protocol_ids())
    raise ProtocolError(id_or_path, [ProtocolProblem(None, "", f"onbekend protocol; bekend: {known}")])
