"""What leaves the desk as files: the package for a competent authority or a unit (``package``),
the attachments extracted for the clerk (``extract``), each cleaned in a bounded child process
(``scrub``, ``bounded``), what a file is by its content (``kinds``), what a transfer goes with
(``transfer``), and the one way into a new folder or beside a target (``folder``).
"""

from .package import (
    MASK,
    TEXT_FIELDS,
    Exported,
    ExportError,
    case_text,
    check_new_folder,
    export_case,
    into_new_folder,
    mask_identity,
    prepare,
    read_attachment,
    write,
)

__all__ = [
    "MASK",
    "TEXT_FIELDS",
    "ExportError",
    "Exported",
    "case_text",
    "check_new_folder",
    "export_case",
    "into_new_folder",
    "mask_identity",
    "prepare",
    "read_attachment",
    "write",
]
