"""Conditions over a case that may not give every fact: each evaluates to the set of branches it holds in.

A condition's value is a disjunction of branches; a branch maps each unknown fact it depends on to the
values it allows. [{}] is "holds" (no assumption needed), [] is "does not hold", and
[{"resectable": {True}}] is "holds if the disease is resectable". Only facts declared as branch facts in
knowledge/data/planner.yaml (`unknowns`) branch; any other missing fact is simply "not given".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

Branch = dict[str, frozenset[Any]]
Cond = list[Branch]
TRUE: Cond = [{}]
FALSE: Cond = []


def tester(check: Any) -> Callable[[Any], bool]:
    """A test of a rule compiled once into a predicate over one fact's value."""
    if isinstance(check, bool):
        return lambda value: value is check  # true must not match 1, nor false 0
    if not isinstance(check, dict):
        return lambda value: value == check
    preds = [_OPS[op](arg) for op, arg in check.items()]
    if len(preds) == 1:
        return preds[0]
    return lambda value: all(p(value) for p in preds)


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


_OPS: dict[str, Callable[[Any], Callable[[Any], bool]]] = {
    "is": lambda arg: lambda v: v == arg,
    "in": lambda arg: lambda v: v in arg,
    "not_in": lambda arg: lambda v: v not in arg,
    "lt": lambda arg: lambda v: _number(v) and v < arg,
    "le": lambda arg: lambda v: _number(v) and v <= arg,
    "gt": lambda arg: lambda v: _number(v) and v > arg,
    "ge": lambda arg: lambda v: _number(v) and v >= arg,
    "has_any": lambda arg: _overlaps(frozenset(arg), True),
    "has_none": lambda arg: _overlaps(frozenset(arg), False),
}


def _overlaps(values: frozenset[Any], wanted: bool) -> Callable[[Any], bool]:
    """has_any (wanted=True) or has_none (False) of values, for a fact holding a collection (or None)."""
    return lambda v: bool(values.intersection(v or ())) is wanted


class Logic:
    """Evaluates conditions for one case. domains: branch fact -> its possible values, for facts not given."""

    def __init__(self, facts: dict[str, Any], domains: dict[str, tuple[Any, ...]]):
        self.facts = facts
        self.domains = {f: vals for f, vals in domains.items() if facts.get(f) is None}
        self._memo: dict[int, Cond] = {}  # by identity: knowledge conditions live as long as the process

    def holds(self, cond: dict[str, Any]) -> bool:
        """Decided without branching: a missing fact is just "not given"."""
        return compiled(cond)(self, False) == TRUE

    def eval(self, cond: dict[str, Any], branch: bool = True) -> Cond:
        if not branch:
            return compiled(cond)(self, False)
        hit = self._memo.get(id(cond))
        if hit is None:
            hit = self._memo[id(cond)] = compiled(cond)(self, True)
        return hit

    def negate(self, cond: Cond) -> Cond:
        if not cond:
            return TRUE
        if any(not b for b in cond):
            return FALSE
        result = TRUE
        for b in cond:  # not (f in A and g in B) = f in not-A or g in not-B
            alternatives = [{f: self.domains_of(f) - vals} for f, vals in b.items() if self.domains_of(f) - vals]
            result = and_(result, alternatives)
        return result

    def domains_of(self, fact: str) -> frozenset[Any]:
        return frozenset(self.domains.get(fact, ()))


Compiled = Callable[[Logic, bool], Cond]
_COMPILED: dict[int, tuple[dict[str, Any], Compiled]] = {}


def compiled(cond: dict[str, Any]) -> Compiled:
    """A condition compiled once into closures (its tests into predicates); kept with the condition itself,
    so its id cannot be reused while the entry lives."""
    hit = _COMPILED.get(id(cond))
    if hit is None or hit[0] is not cond:
        hit = _COMPILED[id(cond)] = (cond, _compile(cond))
    return hit[1]


def _compile(cond: dict[str, Any]) -> Compiled:
    parts: list[Compiled] = []
    for key, check in cond.items():
        if key == "any":
            parts.append(_combined(any_of, [_compile(c) for c in check]))
        elif key == "all":
            parts.append(_combined(all_of, [_compile(c) for c in check]))
        elif key == "not":
            parts.append(_negated(_compile(check)))
        else:
            parts.append(_leaf(key, check))
    if len(parts) == 1:
        return parts[0]

    def conjunction(lg: Logic, br: bool) -> Cond:
        result = TRUE
        for part in parts:
            result = and_(result, part(lg, br))
            if not result:
                return FALSE
        return result

    return conjunction


def _combined(combine: Callable[[Iterable[Cond]], Cond], subs: list[Compiled]) -> Compiled:
    return lambda lg, br: combine(s(lg, br) for s in subs)


def _negated(sub: Compiled) -> Compiled:
    return lambda lg, br: lg.negate(sub(lg, br))


def _leaf(key: str, check: Any) -> Compiled:
    ok = tester(check)
    allowed_in: dict[tuple[Any, ...], Cond] = {}  # a branch fact's domain -> where the test holds in it

    def leaf(lg: Logic, br: bool) -> Cond:
        if br and check is not None:
            domain = lg.domains.get(key)
            if domain is not None:
                hit = allowed_in.get(domain)
                if hit is None:
                    allowed = frozenset(v for v in domain if ok(v))
                    hit = allowed_in[domain] = (
                        TRUE if len(allowed) == len(domain) else [{key: allowed}] if allowed else FALSE
                    )
                return hit
        return TRUE if ok(lg.facts.get(key)) else FALSE

    return leaf


def and_(a: Cond, b: Cond) -> Cond:
    if not a or not b:
        return FALSE
    if a == TRUE:
        return b
    if b == TRUE:
        return a
    out: Cond = []
    for x in a:
        for y in b:
            merged = dict(x)
            for f, vals in y.items():
                merged[f] = merged[f] & vals if f in merged else vals
            if all(merged.values()):
                out.append(merged)
    return simplify(out)


def any_of(parts: Iterable[Cond]) -> Cond:
    out: Cond = []
    for p in parts:
        out += p
    return simplify(out)


def all_of(parts: Iterable[Cond]) -> Cond:
    result = TRUE
    for p in parts:
        result = and_(result, p)
    return result


def simplify(cond: Cond) -> Cond:
    """Drop duplicate branches and branches implied by a weaker one ("if A and B" beside "if A")."""
    if len(cond) <= 1:
        return cond
    if any(not b for b in cond):
        return TRUE
    kept: Cond = []
    for b in sorted(cond, key=len):
        if not any(_weaker(k, b) for k in kept):
            kept.append(b)
    return kept


def _weaker(k: Branch, b: Branch) -> bool:
    """k holds wherever b holds."""
    return all(f in b and b[f] <= vals for f, vals in k.items())


def compatible(a: Cond, b: Cond) -> bool:
    """Some case could be in a branch of a and a branch of b at once."""
    return bool(and_(a, b))


def implies(a: Cond, b: Cond, logic: Logic) -> bool:
    if b == TRUE or not a:
        return True
    return not and_(a, logic.negate(b))
