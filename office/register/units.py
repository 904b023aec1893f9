"""The Board's units as the desk knows them: settings.toml [units], and every unit the register already names.

A unit's name is typed by hand in several places (assigning a case, recording an
activity, a unit's own report); a name close to a known one is taken for a typo and
refused with the likely name, so that a typo never starts a second unit.
"""

from __future__ import annotations

import sqlite3

from . import activities


def of_cases(db: sqlite3.Connection) -> set[str]:
    """The units cases were assigned to."""
    return {row[0] for row in db.execute("SELECT DISTINCT unit FROM cases WHERE unit IS NOT NULL")}


def known(db: sqlite3.Connection, settings_units: dict[str, str], *, activities_too: bool = True) -> set[str]:
    """The units of settings.toml [units] and of the register (its cases and, unless told not to, activities)."""
    found = set(settings_units) | of_cases(db)
    return found | activities.units(db) if activities_too else found
