"""``{% record_edits obj as edits %}``: the edits of a record, for ``audit/_edits.html``."""

from django import template

from audit import history

register = template.Library()


@register.simple_tag
def record_edits(instance, *hidden):
    """The ``audit.history.Edit`` list of ``instance``, leaving out the ``hidden`` fields."""
    return history.record_edits(instance, hidden=hidden)
