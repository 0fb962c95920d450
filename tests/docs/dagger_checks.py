"""Check a `dagger call ...` command against the module's real registration, offline.

The module is registered on tests/dagger's fake engine (its own helpers), which records
what `dagger functions` would list: every function, its arguments and their types,
its return type. A call's function and flags are looked up there; the calls chained
after it (`export --path`, `as-service up --ports`) are looked up in the engine's own
API schema (the one tests/dagger validates against). No list of functions is kept here:
when the module changes, so does what this accepts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

import anyio
from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLNonNull,
    GraphQLObjectType,
    Undefined,
    get_named_type,
)

from tests.docs.argparse_checks import PLACEHOLDER

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from tests.dagger.conftest import ArgumentDef, Call, FunctionDef


@dataclass(frozen=True)
class Argument:
    """One flag of a function, as the Dagger CLI takes it."""

    flag: str
    boolean: bool
    required: bool
    check: Callable[[str], str | None] = lambda _value: None
    """Return why a value is refused (None: accepted)."""


@dataclass(frozen=True)
class Function:
    """A function the CLI can call: the module's own, or a core type's field."""

    name: str
    arguments: dict[str, Argument]
    returns: str | None
    """The object type calls can be chained on; None: a value, the end of a chain."""


@dataclass(frozen=True)
class Registration:
    """What the module registers: its functions (by CLI name) and which are checks."""

    functions: dict[str, Function]
    checks: frozenset[str]


def kebab(name: str) -> str:
    """Return the CLI spelling of a registered name: `build_release`, `asService` -> kebab."""
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"-\1", name).replace("_", "-").lower()


@cache
def registration() -> Registration:
    """Register the module on tests/dagger's fake engine; return what it registered."""
    # The fake engine and its readers are tests/dagger's: one harness for both.
    from semaine.main import Semaine  # noqa: PLC0415 - loads the Dagger SDK only here
    from tests.dagger.conftest import fake_engine, function_defs, register  # noqa: PLC0415

    with fake_engine() as session:
        anyio.run(register, Semaine)
    objects: dict[str, list[Call]] = session.objects
    enums = _enums(objects)
    returns = {
        chain[0].args["name"]: _object_name(objects.get(chain[0].args["returnType"], []))
        for chain in objects.values()
        if chain and chain[0].field == "function"
    }
    # The function named "" is the main object's constructor, not a CLI function.
    definitions = {name: d for name, d in function_defs(session).items() if name}
    functions = {
        kebab(name): Function(kebab(name), _arguments(definition, enums), returns.get(name))
        for name, definition in definitions.items()
    }
    checks = frozenset(kebab(name) for name, d in definitions.items() if d.check)
    return Registration(functions, checks)


def _enums(objects: dict[str, list[Call]]) -> dict[str, tuple[str, ...]]:
    enums: dict[str, tuple[str, ...]] = {}
    for chain in objects.values():
        if len(chain) > 1 and chain[1].field == "withEnum" and "name" in chain[1].args:
            members = tuple(c.args["name"] for c in chain if c.field == "withEnumMember")
            name = chain[1].args["name"]
            enums[name] = max(enums.get(name, ()), members, key=len)
    return enums


def _object_name(chain: Sequence[Call]) -> str | None:
    return next((c.args["name"] for c in chain if c.field == "withObject"), None)


def _arguments(definition: FunctionDef, enums: dict[str, tuple[str, ...]]) -> dict[str, Argument]:
    return {kebab(name): _argument(argument, enums) for name, argument in definition.args.items()}


def _argument(argument: ArgumentDef, enums: dict[str, tuple[str, ...]]) -> Argument:
    kinds = {c.args.get("kind") for c in argument.type_chain if c.field == "withKind"}
    objects = {c.args.get("name") for c in argument.type_chain if c.field == "withObject"}
    enum = next((c.args["name"] for c in argument.type_chain if c.field == "withEnum"), None)
    check: Callable[[str], str | None] = lambda _value: None  # noqa: E731 - a default
    if enum is not None:
        check = _member_of(enums.get(enum, ()))
    elif "Secret" in objects:
        check = _secret_address
    elif "INTEGER_KIND" in kinds:
        check = _integer
    flag = kebab(argument.name)
    return Argument(flag, "BOOLEAN_KIND" in kinds, not argument.optional, check)


def _member_of(members: tuple[str, ...]) -> Callable[[str], str | None]:
    def check(value: str) -> str | None:
        return None if value in members else f"{value!r} is not one of {', '.join(members)}"

    return check


def _secret_address(value: str) -> str | None:
    # A secret is passed by address (env://NAME, file://PATH, ...), never by value.
    return None if "://" in value else f"{value!r} is not a secret address such as env://NAME"


def _integer(value: str) -> str | None:
    return None if re.fullmatch(r"-?\d+", value) else f"{value!r} is not an integer"


def call_problems(words: Sequence[str], *, strict: bool) -> list[str]:
    """Check `dagger call WORDS`: the function, its flags and values, the chained calls."""
    if not words:
        return ["`dagger call` names no function"]
    if PLACEHOLDER.match(words[0]):
        return []  # `dagger call FUNCTION --help`, `dagger call ...`
    functions = registration().functions
    problems = []
    for name in words[0].split("|"):
        function = functions.get(name)
        if function is None:
            problems.append(f"the module has no function {name!r} (it has: {', '.join(functions)})")
        else:
            problems += _chain_problems(function, list(words[1:]), strict=strict)
    return problems


def check_problems(words: Sequence[str]) -> list[str]:
    """Check `dagger check [FUNCTION...]`: there are checks, and each named one is one."""
    checks = registration().checks
    if not checks:
        return ["`dagger check`: the module registers no check"]
    return [
        f"{word!r} is not a check (checks: {', '.join(sorted(checks))})"
        for word in words
        if word not in checks
    ]


def _chain_problems(function: Function, words: list[str], *, strict: bool) -> list[str]:
    problems: list[str] = []
    given: set[str] = set()
    index = 0
    while index < len(words):
        word = words[index]
        if word == "--help":
            return problems
        if PLACEHOLDER.match(word) and not strict:
            index += 1
            continue
        if word.startswith("--"):
            index = _flag(function, words, index, given, problems)
            continue
        problems += _missing(function, given) if strict else []
        chained = _core_function(function, word)
        if isinstance(chained, str):
            return [*problems, chained]
        function, given = chained, set()
        index += 1
    return problems + (_missing(function, given) if strict else [])


def _flag(
    function: Function, words: list[str], index: int, given: set[str], problems: list[str]
) -> int:
    """Consume one flag (and its value) at `index`; return the index after it."""
    name, equals, value = words[index][2:].partition("=")
    argument = function.arguments.get(name)
    if argument is None:
        flags = ", ".join(f"--{a}" for a in function.arguments) or "none"
        problems.append(f"`{function.name}` has no flag --{name} (its flags: {flags})")
        return index + 1
    given.add(name)
    if not argument.boolean and not equals:
        if index + 1 >= len(words):
            problems.append(f"`{function.name} --{name}` needs a value")
            return index + 1
        value, index = words[index + 1], index + 1
    refused = argument.check(value) if value and not PLACEHOLDER.match(value) else None
    if refused:
        problems.append(f"`{function.name} --{name}`: {refused}")
    return index + 1


def _missing(function: Function, given: set[str]) -> list[str]:
    return [
        f"`{function.name}` needs --{name}"
        for name, argument in function.arguments.items()
        if argument.required and name not in given
    ]


def _core_function(function: Function, word: str) -> Function | str:
    """Return the core field `word` of the type `function` returns, or why there is none."""
    from tests.dagger.conftest import engine_schema  # noqa: PLC0415 - tests/dagger's schema

    if function.returns is None:
        return f"`{function.name}` returns a value: nothing can be chained after it ({word!r})"
    schema_type = engine_schema().get_type(function.returns)
    assert isinstance(schema_type, GraphQLObjectType), function.returns
    fields = {kebab(name): value for name, value in schema_type.fields.items()}
    if word not in fields:
        return f"{function.returns} has no function {word!r} (after `{function.name}`)"
    return _from_field(word, fields[word])


def _from_field(name: str, graphql_field: GraphQLField) -> Function:
    arguments = {}
    for arg_name, arg in graphql_field.args.items():
        named = get_named_type(arg.type)
        required = isinstance(arg.type, GraphQLNonNull) and arg.default_value is Undefined
        check = _member_of(tuple(named.values)) if isinstance(named, GraphQLEnumType) else None
        arguments[kebab(arg_name)] = Argument(
            kebab(arg_name),
            boolean=named.name == "Boolean",
            required=required,
            check=check or (_integer if named.name == "Int" else lambda _value: None),
        )
    return Function(name, arguments, _returned_object(graphql_field))


def _returned_object(graphql_field: GraphQLField) -> str | None:
    named = get_named_type(graphql_field.type)
    if isinstance(named, GraphQLObjectType):
        return named.name
    # `sync: ID! @expectedType(name: "Container")`: the CLI goes on with that object.
    node: Any = graphql_field.ast_node
    for directive in (node.directives if node else None) or ():
        if directive.name.value == "expectedType":
            return str(directive.arguments[0].value.value)
    return None
