"""The static portal's engine: the Office's data file, and the MkDocs hooks that render it.

- ``portal_site.data``: the one data file the Office edits (``docs/data/portal.yml``): load,
  validate, list the values still missing.
- ``portal_site.schedule``: the day rule of the periodic citizen reception, in words and as an RRULE.
- ``portal_site.ics``: the reception schedule as an iCalendar file that phones can subscribe to.
- ``portal_site.quiz``: the self-check quizzes of the training pages.
- ``portal_site.render``: what the data and quizzes look like in a page.
- ``portal_site.mkdocs_hooks``: the MkDocs hooks (``hooks:`` in ``mkdocs.yml``) that tie them in.

``python -m portal_site check`` lists the placeholders of the data file.
"""
