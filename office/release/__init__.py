"""The released site: does the live portal serve, byte for byte, what the Board released?

- ``office.release.check``: fetch every file of a release manifest (``portal_site.manifest``) from
  the live site as a browser would, compare hashes, read the keys the pages and the function
  announce, and report each difference as a finding.
"""
