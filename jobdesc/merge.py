"""Merge a role with the roles it extends, its jurisdiction's framework and its overlays.

The order is fixed: the base role, then each role that extends it, then the jurisdiction's
framework around it (see ``with_framework``), then the industry's, the jurisdiction's and
last the organisation's operations. Each layer sees the result of the ones before it. An
operation naming a clause that is not there is an error: an overlay never silently does
nothing.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from .bundle import Bundle
from .errors import Diagnostic, JobdescError, Location, ProfileError
from .profile import (
    SECTIONS,
    ClauseSource,
    Industry,
    Jurisdiction,
    Operation,
    Organisation,
    Removal,
    Role,
    RoleExtension,
    load_industry,
    load_role,
)


@dataclass
class _Node:
    clause: ClauseSource
    items: list[_Node] = field(default_factory=list)


class _Clauses:
    """The role's clauses as a mutable tree, for applying operations in order."""

    def __init__(self, role: Role):
        self.role = role
        self.sections = {key: [_Node(c, [_Node(i) for i in c.items]) for c in role.sections[key]] for key in SECTIONS}
        self.removed: dict[str, Location] = {}

    def find(self, clause_id: str) -> tuple[list[_Node], int, int] | None:
        """The list holding the clause, its index there, and its depth (0 or 1)."""
        for nodes in self.sections.values():
            for index, node in enumerate(nodes):
                if node.clause.id == clause_id:
                    return nodes, index, 0
                for sub_index, item in enumerate(node.items):
                    if item.clause.id == clause_id:
                        return node.items, sub_index, 1
        return None

    def apply(self, op: Operation, diagnostics: list[Diagnostic]) -> None:
        def fail(message: str) -> None:
            diagnostics.append(Diagnostic(op.loc, op.kind, message))

        assert op.clause is not None or op.kind == "remove"
        if op.kind == "append" and op.target in self.sections:
            if self._check_new(op, fail):
                self.sections[op.target].append(self._node(op.clause))
            return
        found = self.find(op.target)
        if found is None:
            gone = self.removed.get(op.target)
            why = f" (removed at {gone})" if gone else ""
            fail(f"no clause {op.target!r} in role {self.role.id!r}{why}")
            return
        nodes, index, depth = found
        if op.kind == "remove":
            self.removed[op.target] = op.loc
            del nodes[index]
        elif op.kind == "replace":
            assert op.clause is not None
            node = nodes[index]
            node.clause = dataclasses.replace(node.clause, text=op.clause.text, layer=op.clause.layer)
            if op.replaces_items:
                if depth == 1:
                    fail(f"clause {op.target!r} is a sub-clause and cannot have items")
                node.items = [_Node(i) for i in op.clause.items]
        elif op.kind == "append":  # to the items of a clause
            if depth == 1:
                fail(f"clause {op.target!r} is a sub-clause; append to its parent or a section instead")
            elif self._check_new(op, fail):
                nodes[index].items.append(self._node(op.clause))
        elif self._check_new(op, fail):  # insert_before / insert_after
            if depth == 1 and op.clause and op.clause.items:
                fail(f"clause {op.clause.id!r} would be a sub-clause and cannot have items")
                return
            nodes.insert(index + (op.kind == "insert_after"), self._node(op.clause))

    def _check_new(self, op: Operation, fail: Callable[[str], None]) -> bool:
        assert op.clause is not None
        for clause in op.clause.walk():
            if self.find(clause.id) is not None:
                fail(f"clause id {clause.id!r} is already in role {self.role.id!r}; use replace to change it")
                return False
        return True

    @staticmethod
    def _node(clause: ClauseSource | None) -> _Node:
        assert clause is not None
        return _Node(clause, [_Node(i) for i in clause.items])

    def freeze(self, diagnostics: list[Diagnostic]) -> dict[str, tuple[ClauseSource, ...]]:
        sections = {}
        for key, nodes in self.sections.items():
            if not nodes:
                where = Location(self.role.path, 0)
                diagnostics.append(Diagnostic(where, key, "the overlays leave this section empty"))
            sections[key] = tuple(dataclasses.replace(n.clause, items=tuple(i.clause for i in n.items)) for n in nodes)
        return sections


def apply_operations(role: Role, layers: Iterable[tuple[Operation, ...]]) -> Role:
    """The role after each layer's operations, in order; ProfileError lists every failed one."""
    clauses = _Clauses(role)
    diagnostics: list[Diagnostic] = []
    for operations in layers:
        for op in operations:
            clauses.apply(op, diagnostics)
    sections = clauses.freeze(diagnostics)
    if diagnostics:
        raise ProfileError(diagnostics)
    removed = tuple(Removal(clause, by) for clause, by in clauses.removed.items())
    return dataclasses.replace(role, sections=sections, removed=role.removed + removed)


def resolve_role(name: str, bundle: Bundle) -> Role:
    """A role with everything it extends folded in, base first."""
    chain: list[RoleExtension] = []
    seen: dict[str, RoleExtension] = {}
    loaded = load_role(bundle.role_path(name))
    while isinstance(loaded, RoleExtension):
        if loaded.id in seen:
            cycle = " -> ".join([*seen, loaded.id])
            message = f"roles extend each other in a cycle: {cycle}"
            raise ProfileError([Diagnostic(loaded.extends_loc, "extends", message)])
        seen[loaded.id] = loaded
        chain.append(loaded)
        if loaded.extends not in bundle.roles():
            message = f"unknown role {loaded.extends!r}; valid: {', '.join(bundle.roles())}"
            raise ProfileError([Diagnostic(loaded.extends_loc, "extends", message)])
        loaded = load_role(bundle.role_path(loaded.extends))
    role = loaded
    for extension in reversed(chain):
        role = apply_operations(role, [extension.operations])
        lineage = (role.id, *role.lineage)
        role = dataclasses.replace(role, id=extension.id, path=extension.path, lineage=lineage, **extension.overrides)
    return role


def with_framework(role: Role, jurisdiction: Jurisdiction) -> Role:
    """The role inside the country's employment framework.

    The jurisdiction owns what depends on the country, the role owns the job:
    - I. General provisions: the framework's opening clauses, the role's own, its closing clauses;
    - IV. Liability: the framework's statutory clauses, then the role's own liability items.
    A role clause with the id of a framework clause is replaced by it: the statute decides.
    """
    framework = jurisdiction.framework
    own = {c.id for c in (*framework.opening, *framework.closing, *framework.liability)}

    def kept(key: str) -> tuple[ClauseSource, ...]:
        return tuple(c for c in role.sections[key] if c.id not in own)

    sections = dict(role.sections)
    sections["general"] = (*framework.opening, *kept("general"), *framework.closing)
    sections["liability"] = (*framework.liability, *kept("liability"))
    for key in SECTIONS:
        if key not in ("general", "liability"):
            sections[key] = kept(key)
    return dataclasses.replace(role, sections=sections)


def fits(industry: Industry, role: Role) -> None:
    """An industry that names the roles it is written for fits those and the roles extending them."""
    if industry.roles and not {role.id, *role.lineage} & set(industry.roles):
        message = (
            f"written for the role(s) {', '.join(industry.roles)}, whose clauses its operations name; "
            f"role {role.id!r} is not one of them (nor extends one): write an industry file for it, or add it "
            "to roles: if its clauses have the same ids"
        )
        where = industry.roles_loc or Location(industry.path, 0)
        raise ProfileError([Diagnostic(where, "roles", message)])


def merge(role: Role, industry: Industry | None, jurisdiction: Jurisdiction, organisation: Organisation) -> Role:
    """Role -> the jurisdiction's framework -> industry -> jurisdiction -> organisation."""
    if industry is not None:
        fits(industry, role)
    layers = [industry.operations if industry else (), jurisdiction.operations, organisation.operations]
    return apply_operations(with_framework(role, jurisdiction), layers)


def industry_fits(bundle: Bundle, role: str, industry: str) -> bool:
    """Whether an industry is written for a role; a broken file "fits", so that building the
    variant reports what is wrong with it."""
    try:
        fits(load_industry(bundle.industry_path(industry)), resolve_role(role, bundle))
    except ProfileError as exc:
        return not any(d.field == "roles" for d in exc.diagnostics)
    except JobdescError:
        return True
    return True
