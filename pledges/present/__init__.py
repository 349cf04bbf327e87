"""Presentation: what pledges shows people, in one place.

- :mod:`~pledges.present.phrases`: the reader's vocabulary (moves, steps, renewals,
  searches, the categories a status stands in, with their symbols), used by every output;
- :mod:`~pledges.present.render`: one neutral document model (:class:`~pledges.present.
  render.Document`) and its renderers for the terminal, Markdown, LaTeX, CSV and JSON;
- the documents: :mod:`~pledges.present.report` (the round-to-round diff),
  :mod:`~pledges.present.summary`, :mod:`~pledges.present.changes`,
  :mod:`~pledges.present.timeline`, :mod:`~pledges.present.agreement`, and
  :mod:`~pledges.present.notebook` (views for notebooks).
"""
