"""What can go wrong with an envelope, one exception per stage of opening it.

The stages are those of the age test vectors (``cctv-age``): the armor, the
header (its syntax, or a stanza of a known type that breaks its type's rules),
no identity matching any stanza, the header's MAC, and the payload. Messages
read by the Office are Vietnamese first, then English.
"""

from __future__ import annotations


class EnvelopeError(ValueError):
    """An envelope (or a key) is malformed, or cannot be opened with the keys given."""


class ArmorError(EnvelopeError):
    """The ASCII armor around an envelope is not the strict PEM form age writes."""


class HeaderError(EnvelopeError):
    """The header cannot be parsed, or a stanza breaks the rules of its recipient type."""


class NoMatchError(EnvelopeError):
    """The header is well formed, but none of the identities given opens any stanza."""


class MacError(EnvelopeError):
    """A file key was unwrapped, but the header's MAC does not match it: the header was changed."""


class PayloadError(EnvelopeError):
    """The payload does not decrypt all the way to its end (damaged, truncated or extended)."""
