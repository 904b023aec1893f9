"""The Office's desk in a window: a page served on the Office PC's loopback, opened in its browser.

``office desk`` starts it (``server``); the page and the commands are two faces of
the same desk operations, so the views here call those operations and carry no
rule, check or wording of their own. What makes a local server safe for a
whistleblowing register lives in ``guard`` (loopback, the launch token, the
session, CSRF, the headers) and ``vault`` (the identity, unlocked in memory only,
locked when idle).
"""
