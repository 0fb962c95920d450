"""The offline Dagger harness: a fake engine session that validates every chain.

This conftest is the single helper module of tests/dagger/ (tests reach it through the
`engine` fixture, so nothing imports it by name).

PINNED TO dagger-io==0.21.8. This is the only module of the project that touches the
SDK's private names, because the SDK offers no public way to render a chain without an
engine: `dagger.client._session.SharedConnection._session` (where the fake goes),
`Type._ctx` / `Context.selections` / `Field` (a chain's recorded selections),
`Type._select` + `dagger.client._core.Arg` (a raw selection, for the negative tests) and
`dagger.mod.Module._typedefs` / `_main_name` / `_main` (the module's registration).
Any dagger-io release may rename them: when bumping the pin, re-read
`dagger/client/_session.py`, `dagger/client/_core.py` and `dagger/mod/_module.py`.

Every document the SDK would send is validated with `graphql.validate` against the
engine's own schema (descriptions stripped, see scripts/strip_dagger_schema.py), then
answered with placeholder values shaped by the schema, or by the test's `answers`.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.metadata
import itertools
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anyio
import pytest
from graphql import (
    DocumentNode,
    FieldNode,
    GraphQLEnumType,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    build_schema,
    get_named_type,
    get_nullable_type,
    is_list_type,
    print_ast,
    validate,
    value_from_ast_untyped,
)

if TYPE_CHECKING:
    import gql
    from dagger.client.base import Type

SDK_PIN = "0.21.8"
SCHEMA_PATH = Path(__file__).parent / "schema" / f"engine-schema-v{SDK_PIN}.stripped.graphqls"

Answer = Any | Callable[[dict[str, Any]], Any]
"""A leaf's answer: a value, or a callable of the field's arguments returning one."""


class ContractViolationError(AssertionError):
    """A document the module would send is not valid against the engine's schema."""


def pytest_configure(config: pytest.Config) -> None:  # noqa: ARG001 - pytest's hook signature
    """Name the main object as the module runtime does, before any test imports dagger."""
    # dagger.mod reads DAGGER_MAIN_OBJECT once, at import; `register` copes if it was earlier.
    os.environ.setdefault("DAGGER_MAIN_OBJECT", "Semaine")


def _sdk(module: str) -> Any:
    """Import an SDK module lazily (after DAGGER_MAIN_OBJECT is set)."""
    return importlib.import_module(module)


@cache
def engine_schema() -> GraphQLSchema:
    """Return the engine's schema (v0.21.8, descriptions stripped)."""
    return build_schema(SCHEMA_PATH.read_text(encoding="utf-8"))


_VIOLATIONS: dict[str, tuple[str, ...]] = {}
"""Why each document validated so far is invalid (nothing: valid), by its printed text."""


def _violations(document: DocumentNode, text: str) -> tuple[str, ...]:
    """Return why `document`, printed as `text`, is invalid against the engine's schema."""
    # Many chains render the same document: its text (all validation depends on) is
    # validated once per session against the one schema.
    if text not in _VIOLATIONS:
        errors = validate(engine_schema(), document)
        _VIOLATIONS[text] = tuple(error.message for error in errors)
    return _VIOLATIONS[text]


@dataclass(frozen=True)
class Call:
    """One selection of a chain: the GraphQL type it is made on, the field, its arguments."""

    type_name: str
    field: str
    args: dict[str, Any]


@dataclass
class FakeSession:
    """Stands in for `ClientSession`: validates every document, answers with placeholders."""

    answers: Mapping[str, Answer] = field(default_factory=dict)
    documents: list[str] = field(default_factory=list)
    objects: dict[str, list[Call]] = field(default_factory=dict)
    """Every object whose ID was asked for, by the placeholder ID answered: its chain."""
    chains: list[list[Call]] = field(default_factory=list)
    """Every document sent, as its chain of calls down to the value asked for."""
    _ids: Iterator[int] = field(default_factory=itertools.count)

    async def get_schema(self) -> GraphQLSchema:
        """Return the engine's schema, as the real session does after introspection."""
        return engine_schema()

    async def execute(self, request: gql.GraphQLRequest) -> dict[str, Any]:
        """Validate the document against the schema, record it, and answer it."""
        text = print_ast(request.document)
        violations = _violations(request.document, text)
        if violations:
            details = "\n".join(violations)
            message = f"invalid against the Dagger v{SDK_PIN} schema:\n{details}\n{text}"
            raise ContractViolationError(message)
        self.documents.append(text)
        operation = next(
            node
            for node in request.document.definitions
            if isinstance(node, OperationDefinitionNode)
        )
        query_type = engine_schema().query_type
        assert query_type is not None
        answer = self._object(query_type, operation.selection_set)
        self._remember_id(operation.selection_set, answer)
        return answer

    def _remember_id(self, selection_set: SelectionSetNode, answer: Any) -> None:
        recorded: list[Call] = []
        self.chains.append(recorded)
        type_name = "Query"
        for node in _single_path(selection_set):
            if node.name.value == "id" and isinstance(answer, dict):
                self.objects[answer["id"]] = list(recorded)
            args = {arg.name.value: value_from_ast_untyped(arg.value) for arg in node.arguments}
            recorded.append(Call(type_name, node.name.value, args))
            if node.selection_set is None:
                return
            type_name = _field_type_name(type_name, node.name.value)
            answer = answer.get(node.name.value) if isinstance(answer, dict) else None

    def _object(self, parent: GraphQLNamedType, selection_set: SelectionSetNode) -> dict[str, Any]:
        assert isinstance(parent, GraphQLObjectType | GraphQLInterfaceType)
        answer: dict[str, Any] = {}
        for selection in selection_set.selections:
            if isinstance(selection, InlineFragmentNode):
                assert selection.type_condition is not None
                fragment_type = engine_schema().get_type(selection.type_condition.name.value)
                assert fragment_type is not None
                answer.update(self._object(fragment_type, selection.selection_set))
            elif isinstance(selection, FieldNode):
                key = selection.alias.value if selection.alias else selection.name.value
                field_type = parent.fields[selection.name.value].type
                answer[key] = self._field(parent.name, selection, field_type)
        return answer

    def _field(self, parent_name: str, node: FieldNode, field_type: GraphQLOutputType) -> Any:
        key = f"{parent_name}.{node.name.value}"
        if key in self.answers:
            answer = self.answers[key]
            args = {arg.name.value: value_from_ast_untyped(arg.value) for arg in node.arguments}
            return answer(args) if callable(answer) else answer
        if is_list_type(get_nullable_type(field_type)):
            return []
        if node.selection_set is not None:
            return self._object(get_named_type(field_type), node.selection_set)
        return self._leaf(parent_name, get_named_type(field_type))

    def _leaf(self, parent_name: str, leaf_type: GraphQLNamedType) -> Any:
        if isinstance(leaf_type, GraphQLEnumType):
            return next(iter(leaf_type.values))
        defaults: dict[str, Any] = {"String": "", "Int": 0, "Float": 0.0, "Boolean": False}
        if leaf_type.name in defaults:
            return defaults[leaf_type.name]
        if leaf_type.name in {"Void", "JSON"}:
            return None if leaf_type.name == "Void" else "null"
        return f"fake-{parent_name}-id-{next(self._ids)}"


def _single_path(selection_set: SelectionSetNode | None) -> Iterator[FieldNode]:
    """Yield the fields of a one-field-per-level document (what a chain renders to)."""
    while selection_set is not None and len(selection_set.selections) == 1:
        node = selection_set.selections[0]
        if isinstance(node, InlineFragmentNode):
            selection_set = node.selection_set
            continue
        assert isinstance(node, FieldNode)
        yield node
        selection_set = node.selection_set


def _field_type_name(type_name: str, field_name: str) -> str:
    parent = engine_schema().get_type(type_name)
    assert isinstance(parent, GraphQLObjectType | GraphQLInterfaceType)
    return get_named_type(parent.fields[field_name].type).name


@contextlib.contextmanager
def fake_engine(answers: Mapping[str, Answer] | None = None) -> Iterator[FakeSession]:
    """Install a fake session on the SDK's shared connection for the duration of a block."""
    session = FakeSession(answers=dict(answers or {}))
    connection = _sdk("dagger.client._session").SharedConnection()
    previous = connection._session  # noqa: SLF001 - the documented seam of the fake (see top)
    connection._session = session  # noqa: SLF001 - same seam
    try:
        yield session
    finally:
        connection._session = previous  # noqa: SLF001 - same seam


def chain(obj: Type) -> list[Call]:
    """Return the selections a lazy Dagger object has recorded, root first."""
    selections = obj._ctx.selections  # noqa: SLF001 - private, pinned (see top)
    return [Call(sel.type_name, sel.name, dict(sel.args)) for sel in selections]


def calls(obj: Type, name: str) -> list[dict[str, Any]]:
    """Return the arguments of every `name` selection of a chain."""
    return [call.args for call in chain(obj) if call.field == name]


def with_raw_selection(obj: Type, name: str, args: Mapping[str, Any]) -> Any:
    """Return `obj` with one more selection, unchecked by the SDK (negative tests only)."""
    arg = _sdk("dagger.client._core").Arg
    context = obj._select(name, [arg(key, value) for key, value in args.items()])  # noqa: SLF001
    return type(obj)(context)


async def register(module_class: type) -> None:
    """Render the module's registration (what `dagger functions` shows) in the fake."""
    module = module_class.__dagger_module__  # type: ignore[attr-defined]
    if not module._main_name:  # noqa: SLF001 - DAGGER_MAIN_OBJECT was read before it was set
        module._main_name = module_class.__name__  # noqa: SLF001
        module._main = module_class.__dagger_object_type__  # type: ignore[attr-defined]  # noqa: SLF001
    await module._typedefs()  # noqa: SLF001 - what the runtime sends on registration


@dataclass(frozen=True)
class ArgumentDef:
    """One registered argument, as `dagger call FUNCTION --help` would show it."""

    name: str
    description: str
    type_chain: tuple[Call, ...]
    default_value: str | None = None
    default_path: str | None = None
    ignore: tuple[str, ...] = ()

    @property
    def optional(self) -> bool:
        """Tell whether the argument may be left out on the command line."""
        nullable = any(call.field == "withOptional" for call in self.type_chain)
        return nullable or self.default_value is not None or self.default_path is not None


@dataclass(frozen=True)
class FunctionDef:
    """One registered function, as `dagger functions` would list it."""

    name: str
    description: str
    cache_policy: str | None
    check: bool
    args: dict[str, ArgumentDef]


def function_defs(session: FakeSession) -> dict[str, FunctionDef]:
    """Rebuild the registered functions from the chains a registration sent."""
    functions = {}
    for recorded in session.objects.values():
        if not recorded or recorded[0].field != "function":
            continue
        by_field: dict[str, list[dict[str, Any]]] = {}
        for call in recorded[1:]:
            by_field.setdefault(call.field, []).append(call.args)
        name = recorded[0].args["name"]
        functions[name] = FunctionDef(
            name=name,
            description=(by_field.get("withDescription") or [{}])[-1].get("description", ""),
            cache_policy=(by_field.get("withCachePolicy") or [{}])[-1].get("policy"),
            check="withCheck" in by_field,
            args={a["name"]: _argument(session, a) for a in by_field.get("withArg", [])},
        )
    return functions


def _argument(session: FakeSession, args: dict[str, Any]) -> ArgumentDef:
    return ArgumentDef(
        name=args["name"],
        description=args.get("description", ""),
        type_chain=tuple(session.objects.get(args["typeDef"], ())),
        default_value=args.get("defaultValue"),
        default_path=args.get("defaultPath"),
        ignore=tuple(args.get("ignore", ())),
    )


@dataclass
class FakeEngine:
    """What a test sees of the harness: the installed session and the chain readers."""

    session: FakeSession
    ContractViolationError: type[ContractViolationError] = ContractViolationError

    @property
    def documents(self) -> list[str]:
        """Every document validated and answered so far, in order."""
        return self.session.documents

    @property
    def chains(self) -> list[list[Call]]:
        """Every document sent, as its chain of calls down to the value asked for."""
        return self.session.chains

    def answer(self, field_path: str, value: Answer) -> None:
        """Answer `Type.field` with `value` (or a callable of the field's arguments)."""
        self.session.answers[field_path] = value  # type: ignore[index]

    register = staticmethod(register)
    with_raw_selection = staticmethod(with_raw_selection)

    def chain(self, obj: Type | str) -> list[Call]:
        """Return an object's chain; once rendered, its object arguments are IDs: pass one."""
        return self.session.objects[obj] if isinstance(obj, str) else chain(obj)

    def calls(self, obj: Type | str, name: str) -> list[dict[str, Any]]:
        """Return the arguments of every `name` selection of an object's chain."""
        return [call.args for call in self.chain(obj) if call.field == name]

    def function_defs(self) -> dict[str, FunctionDef]:
        """Return the functions registered so far (after `register`)."""
        return function_defs(self.session)

    def objects_named(self, field_name: str) -> list[list[Call]]:
        """Return every object chain sent whose root field is `field_name`."""
        return [c for c in self.session.objects.values() if c and c[0].field == field_name]


def _require_the_pinned_sdk() -> None:
    installed = importlib.metadata.version("dagger-io")
    if installed != SDK_PIN:
        pytest.fail(
            f"dagger-io {installed} is installed; this harness is pinned to {SDK_PIN}:"
            " re-read the SDK's private names (see tests/dagger/conftest.py) and re-pin",
        )


@contextlib.contextmanager
def _installed_engine() -> Iterator[FakeEngine]:
    _require_the_pinned_sdk()
    with fake_engine() as session:
        yield FakeEngine(session)


@pytest.fixture
def engine() -> Iterator[FakeEngine]:
    """Install a fake engine session (validating against the v0.21.8 schema) for one test."""
    with _installed_engine() as installed:
        yield installed


@pytest.fixture(scope="session")
def fake_engines() -> Callable[[], contextlib.AbstractContextManager[FakeEngine]]:
    """Give a way to install a fake engine for a block: for a module's shared run, read later."""
    return _installed_engine


@pytest.fixture(scope="session")
def registered_engine() -> FakeEngine:
    """Register the module once on a fake session; tests only read what it recorded."""
    _require_the_pinned_sdk()
    # Imported here, once the SDK's environment is set (see _sdk).
    from semaine.main import Semaine  # noqa: PLC0415

    with fake_engine() as session:
        engine = FakeEngine(session)
        anyio.run(engine.register, Semaine)
    return engine
