"""Read ``infra/template.yaml`` as CloudFormation does, and resolve the few functions it uses.

The YAML short forms (``!Ref``, ``!Sub``, ``!GetAtt``, ``!If`` ...) become the long JSON forms
(``{"Ref": ...}``, ``{"Fn::Sub": ...}``), and :func:`resolve` replaces them with the values a
test chooses for the resources (``NAMES``), so policy documents can be evaluated as strings.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "infra" / "template.yaml"

# What the tests call the deployed things (any consistent values would do).
ACCOUNT = "111122223333"
REGION = "ap-southeast-1"
REPORTS_BUCKET = "portal-reportsbucket-abc123"
SITE_BUCKET = "portal-sitebucket-def456"
NAMES: dict[str, str] = {
    "AWS::AccountId": ACCOUNT,
    "AWS::Region": REGION,
    "AWS::Partition": "aws",
    "AWS::StackName": "portal",
    "ReportsBucket": REPORTS_BUCKET,
    "ReportsBucket.Arn": f"arn:aws:s3:::{REPORTS_BUCKET}",
    "SiteBucket": SITE_BUCKET,
    "SiteBucket.Arn": f"arn:aws:s3:::{SITE_BUCKET}",
    "IntakeFunctionRole.Arn": f"arn:aws:iam::{ACCOUNT}:role/portal-IntakeFunctionRole-XYZ",
    "IntakeLogGroup.Arn": f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/aws/lambda/portal-intake:*",
    "SiteDistribution": "E2EXAMPLE",
    "HttpApi": "abc123def4",
    "SiteDomain": "tocao.example.gov.vn",
}


class _Loader(yaml.SafeLoader):
    pass


def _tag(loader: _Loader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    if suffix == "Ref":
        return {"Ref": value}
    if suffix == "GetAtt" and isinstance(value, str):
        value = value.split(".", 1)
    return {f"Fn::{suffix}": value}


_Loader.add_multi_constructor("!", _tag)


@cache
def template() -> dict[str, Any]:
    return yaml.load(TEMPLATE.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506 (a SafeLoader)


def resource(name: str) -> dict[str, Any]:
    return template()["Resources"][name]


def resolve(value: Any, names: dict[str, str] | None = None, conditions: dict[str, bool] | None = None) -> Any:
    """``value`` with Ref, Sub, GetAtt and If replaced; KeyError for a name the test did not give."""
    names = {**NAMES, **(names or {})}
    conditions = conditions or {}
    if isinstance(value, list):
        return [resolve(v, names, conditions) for v in value]
    if not isinstance(value, dict):
        return value
    if set(value) == {"Ref"}:
        return names[value["Ref"]]
    if set(value) == {"Fn::GetAtt"}:
        return names[".".join(value["Fn::GetAtt"])]
    if set(value) == {"Fn::Sub"}:
        text = value["Fn::Sub"]
        local: dict[str, str] = {}
        if isinstance(text, list):
            text, extra = text
            local = {k: resolve(v, names, conditions) for k, v in extra.items()}
        return re.sub(r"\$\{([^}!]+)\}", lambda m: {**names, **local}[m.group(1)], text)
    if set(value) == {"Fn::If"}:
        condition, when_true, when_false = value["Fn::If"]
        return resolve(when_true if conditions[condition] else when_false, names, conditions)
    return {k: resolve(v, names, conditions) for k, v in value.items()}
