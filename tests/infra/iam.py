"""A small, strict evaluator of IAM policy statements, enough to prove who may touch which keys.

It follows AWS's documented evaluation logic for one account: an explicit ``Deny`` in any
applicable statement wins; otherwise an ``Allow`` in the principal's identity policies or in
the bucket's resource policy allows; otherwise the request is implicitly denied. Matching:

* ``Action`` / ``NotAction``: ``*`` and ``?`` wildcards, case-insensitive (as IAM does).
* ``Resource`` / ``NotResource``: ``*`` and ``?`` wildcards, case-sensitive (as IAM does).
* ``Principal`` (resource policies only): ``"*"``, or ``{"AWS": arn(s)}`` / ``{"Service": ...}``.
* ``Condition``: ``StringEquals``, ``StringLike``, ``Bool`` and ``Null``, each key's values ORed,
  keys and operators ANDed; a key absent from the request makes the condition false, except for
  ``Null``, which is about exactly that (``"true"``: the key is absent; ``"false"``: present).

Anything else (another operator, ``...IfExists``, a policy variable, ``NotPrincipal``) raises
:class:`Unsupported` rather than guessing, so a template change that this evaluator cannot judge
fails the tests instead of passing them. Not modelled, because this template uses none: service
control policies, permission boundaries, session policies, ACLs (the buckets disable them).
No PyPI package evaluates IAM policies offline with conditions that we could rely on (AWS's
own simulator is an API call that needs an account), hence this file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

ALLOW, DENY, IMPLICIT_DENY = "Allow", "Deny", "ImplicitDeny"


class Unsupported(ValueError):
    """A policy element this evaluator does not model: refuse to judge rather than guess."""


@dataclass(frozen=True)
class Request:
    action: str
    resource: str
    context: Mapping[str, str] = field(default_factory=dict)
    principal: str = ""


def _wildcard(pattern: str, value: str, ignore_case: bool) -> bool:
    if "${" in pattern:
        raise Unsupported(f"policy variables are not modelled: {pattern!r}")
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, value, re.IGNORECASE | re.DOTALL if ignore_case else re.DOTALL) is not None


def _as_list(value: Any) -> list:
    return value if isinstance(value, list) else [value]


def _condition_holds(condition: Mapping[str, Mapping[str, Any]], context: Mapping[str, str]) -> bool:
    for operator, tests in condition.items():
        if operator not in ("StringEquals", "StringLike", "Bool", "Null"):
            raise Unsupported(f"condition operator {operator} is not modelled")
        for key, wanted in tests.items():
            if operator == "Null":
                if (key not in context) != (str(wanted).lower() == "true"):
                    return False
                continue
            if key not in context:
                return False
            actual = context[key]
            values = [str(v) for v in _as_list(wanted)]
            if operator == "StringEquals":
                ok = actual in values
            elif operator == "Bool":
                ok = actual.lower() in (v.lower() for v in values)
            else:
                ok = any(_wildcard(v, actual, ignore_case=False) for v in values)
            if not ok:
                return False
    return True


def _principal_matches(statement: Mapping[str, Any], principal: str) -> bool:
    if "NotPrincipal" in statement:
        raise Unsupported("NotPrincipal is not modelled")
    given = statement.get("Principal")
    if given == "*":
        return True
    if not isinstance(given, Mapping):
        raise Unsupported(f"principal {given!r} is not modelled")
    names = [n for kind in ("AWS", "Service") for n in _as_list(given.get(kind, []))]
    return principal in names or "*" in names


def applies(statement: Mapping[str, Any], request: Request, resource_policy: bool = False) -> bool:
    """Does this statement speak about this request (whatever its effect)?"""
    if resource_policy and not _principal_matches(statement, request.principal):
        return False
    if "Action" in statement:
        if not any(_wildcard(a, request.action, ignore_case=True) for a in _as_list(statement["Action"])):
            return False
    elif any(_wildcard(a, request.action, ignore_case=True) for a in _as_list(statement["NotAction"])):
        return False
    if "Resource" in statement:
        if not any(_wildcard(r, request.resource, ignore_case=False) for r in _as_list(statement["Resource"])):
            return False
    elif any(_wildcard(r, request.resource, ignore_case=False) for r in _as_list(statement["NotResource"])):
        return False
    return _condition_holds(statement.get("Condition", {}), request.context)


def evaluate(
    request: Request,
    identity: Iterable[Mapping[str, Any]],
    resource_policy: Iterable[Mapping[str, Any]] = (),
) -> str:
    """ALLOW, DENY (explicit) or IMPLICIT_DENY for one request by one principal."""
    matched = [(s, False) for s in identity if applies(s, request)]
    matched += [(s, True) for s in resource_policy if applies(s, request, resource_policy=True)]
    for statement, _ in matched:
        if statement["Effect"] not in (ALLOW, DENY):
            raise Unsupported(f"effect {statement['Effect']!r}")
    if any(s["Effect"] == DENY for s, _ in matched):
        return DENY
    if any(s["Effect"] == ALLOW for s, _ in matched):
        return ALLOW
    return IMPLICIT_DENY


def statements(document: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return list(_as_list(document["Statement"]))
