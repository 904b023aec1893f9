"""The ``office`` command and its sub-commands: each module a group of commands, ``common`` what they share."""
