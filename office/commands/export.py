"""``office export``: the package for the competent authority (see ``office/export/forwarding.py``)."""

from __future__ import annotations

from pathlib import Path

import click

from ..export import forwarding
from ..workflow.case_actions import ACTIONS
from .common import by_option, data_option, desk_at, identity_option, options, tell, unlocker, who


@click.command(name="export", help=ACTIONS["export"].help)
@click.argument("reference", metavar="ID")
@options(forwarding.EXPORT)
@identity_option
@data_option
@by_option
def export_command(
    reference: str,
    out: Path,
    include_unverified: bool,
    consent: str | None,
    reason: str,
    identity: Path | None,
    data: Path,
    by: str | None,
) -> None:
    desk = desk_at(data)
    done = forwarding.export_case(
        desk,
        reference,
        unlocker(identity, desk),
        out=out,
        include_unverified=include_unverified,
        consent=consent,
        reason=reason,
        who=who(by),
    )
    tell(done)
