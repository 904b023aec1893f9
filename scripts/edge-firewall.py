#!/usr/bin/env python3
"""Print the firewall at the edge as a template of its own, for a stack outside us-east-1.

CloudFront takes a web ACL made in us-east-1 only. A portal stack deployed there makes its own
(``EdgeFirewall`` in ``infra/template.yaml``); a stack in another Region gets the ARN of one made
in us-east-1 from the very same resource, which this script cuts out of the template with the
parameters it uses, so that the rules are written once:

    .venv/bin/python scripts/edge-firewall.py > dist/edge-firewall.json
    aws cloudformation deploy --region us-east-1 --template-file dist/edge-firewall.json --stack-name portal-edge

and the stack's output ``EdgeWebAclArn`` goes into the portal stack's parameter of that name.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import yaml

TEMPLATE = Path(__file__).resolve().parents[1] / "infra" / "template.yaml"
RESOURCE = "EdgeFirewall"


class _Loader(yaml.SafeLoader):
    """YAML with CloudFormation's short forms (!Ref, !Sub ...) read as their long JSON forms."""


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


def _references(value: Any) -> set[str]:
    """The names a value refers to with Ref or ${...} (parameters and pseudo parameters)."""
    found: set[str] = set()
    if isinstance(value, dict):
        if "Ref" in value:
            found.add(value["Ref"])
        if "Fn::Sub" in value and isinstance(value["Fn::Sub"], str):
            text = value["Fn::Sub"]
            found |= {part.split("}", 1)[0] for part in text.split("${")[1:]}
        for item in value.values():
            found |= _references(item)
    elif isinstance(value, list):
        for item in value:
            found |= _references(item)
    return found


def edge_template(template: dict[str, Any]) -> dict[str, Any]:
    resource = {k: v for k, v in template["Resources"][RESOURCE].items() if k != "Condition"}
    used = _references(resource)
    parameters = {name: spec for name, spec in template["Parameters"].items() if name in used}
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": f"The portal's firewall at CloudFront ({RESOURCE} of infra/template.yaml); deploy in us-east-1",
        "Parameters": parameters,
        "Resources": {RESOURCE: resource},
        "Outputs": {
            "EdgeWebAclArn": {
                "Description": "For the portal stack's parameter EdgeWebAclArn",
                "Value": {"Fn::GetAtt": [RESOURCE, "Arn"]},
            }
        },
    }


def main() -> int:
    template = yaml.load(TEMPLATE.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506 (a SafeLoader)
    json.dump(edge_template(template), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
