"""Signals the write functions of ``aspirations.services`` send about the rows they change.

Apps above this one keep data derived from aspirations in step through them, inside the
write's own transaction, without this app importing them (``dashboards`` keeps its summary
tables so; see ``dashboards/apps.py``). Both carry ``ids``, a list of aspiration primary keys:

- ``aspirations_will_change``: sent after the rows are locked (``select_for_update``) and
  before their stage, dimensions (topic, urusan, channel, village, date raised,
  beneficiaries) or budget outcomes change, or before they are deleted;
- ``aspirations_changed``: sent after the change, and after new aspirations are created.

``aspiration_response_recorded`` carries ``aspiration_id`` and ``event_id`` (the
``AspirationEvent`` of the response): sent by ``aspiration_record_response`` once a reses
response is on the aspiration's timeline, with or without a move (``notifications`` tells
the group's officers).

A receiver that raises rolls the whole write back.
"""

from django.dispatch import Signal

aspirations_will_change = Signal()
aspirations_changed = Signal()
aspiration_response_recorded = Signal()
