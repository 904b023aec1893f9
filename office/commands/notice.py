"""``office notice``: draft a notice owed on a denunciation (to the denouncer, or to the person denounced) as a
Word document to complete and sign."""

from __future__ import annotations

from pathlib import Path

import click

from ..workflow import drafts
from ..workflow.case_actions import ACTIONS
from .common import by_option, data_option, desk_at, identity_option, options, tell, unlocker, who


@click.command(name="notice", help=ACTIONS["notice"].help)
@click.argument("reference", metavar="ID")
@options(drafts.NOTICE)
@identity_option
@data_option
@by_option
def notice_command(
    reference: str,
    kind: str,
    recipient: str,
    out: Path,
    with_identity: bool,
    reason: str,
    identity: Path | None,
    data: Path,
    by: str | None,
) -> None:
    drafts.check_request(out, recipient=recipient, with_identity=with_identity, reason=reason)
    desk = desk_at(data)
    done = drafts.draft_notice(
        desk,
        reference,
        unlocker(identity, desk),
        kind=kind,
        out=out,
        recipient=recipient,
        with_identity=with_identity,
        reason=reason,
        who=who(by),
    )
    tell(done)
