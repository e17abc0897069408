"""Conditions over a case that may not give every fact: each evaluates to the set of branches it holds in.

A condition's value is a disjunction of branches; a branch maps each unknown fact it depends on to the
values it allows. [{}] is "holds" (no assumption needed), [] is "does not hold", and
[{"resectable": {True}}] is "holds if the disease is resectable". Only facts declared as branch facts in
knowledge/data/planner.yaml (`unknowns`) branch; any other missing fact is simply "not given".
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

Branch = dict[str, frozenset[Any]]
Cond = list[Branch]
TRUE: Cond = [{}]
FALSE: Cond = []


def test(value: Any, check: Any) -> bool:
    """One fact against one test of a rule: a plain value is equality; else a mapping of operators."""
    if isinstance(check, bool):
        return value is check  # true must not match 1, nor false 0
    if not isinstance(check, dict):
        return value == check
    for op, arg in check.items():
        if op == "is":
            ok = value == arg
        elif op == "in":
            ok = value in arg
        elif op == "not_in":
            ok = value not in arg
        elif op in ("lt", "le", "gt", "ge"):
            ok = isinstance(value, (int, float)) and not isinstance(value, bool) and _compare(op, value, arg)
        elif op == "has_any":
            ok = bool(set(value or []) & set(arg))
        else:  # has_none
            ok = not set(value or []) & set(arg)
        if not ok:
            return False
    return True


def _compare(op: str, a: float, b: float) -> bool:
    return {"lt": a < b, "le": a <= b, "gt": a > b, "ge": a >= b}[op]


class Logic:
    """Evaluates conditions for one case. domains: branch fact -> its possible values, for facts not given."""

    def __init__(self, facts: dict[str, Any], domains: dict[str, tuple[Any, ...]]):
        self.facts = facts
        self.domains = {f: vals for f, vals in domains.items() if facts.get(f) is None}
        self._memo: dict[int, tuple[dict[str, Any], Cond]] = {}  # by identity: knowledge conditions do not change

    def holds(self, cond: dict[str, Any]) -> bool:
        """Decided without branching: a missing fact is just "not given"."""
        return self.eval(cond, branch=False) == TRUE

    def eval(self, cond: dict[str, Any], branch: bool = True) -> Cond:
        if branch:
            hit = self._memo.get(id(cond))
            if hit is None or hit[0] is not cond:
                hit = self._memo[id(cond)] = (cond, self._eval(cond, branch))
            return hit[1]
        return self._eval(cond, branch)

    def _eval(self, cond: dict[str, Any], branch: bool) -> Cond:
        result = TRUE
        for key, check in cond.items():
            if key == "any":
                part = any_of(self.eval(c, branch) for c in check)
            elif key == "all":
                part = all_of(self.eval(c, branch) for c in check)
            elif key == "not":
                part = self.negate(self.eval(check, branch))
            else:
                part = self._leaf(key, check, branch)
            result = and_(result, part)
            if not result:
                return FALSE
        return result

    def _leaf(self, key: str, check: Any, branch: bool) -> Cond:
        if branch and key in self.domains and check is not None:
            domain = self.domains[key]
            allowed = frozenset(v for v in domain if test(v, check))
            if len(allowed) == len(domain):
                return TRUE
            return [{key: allowed}] if allowed else FALSE
        return TRUE if test(self.facts.get(key), check) else FALSE

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
