"""A person's copy of her personal data as an A4 PDF, rendered by WeasyPrint from an HTML
template with ``static/css/print.css`` (as ``reses/pdf.py`` does for the agenda pack): a
member's, and an assisted person's who is not a member (``assistance``)."""

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string


def member_data_pdf(context, request, template_name="members/data_pdf.html"):
    """Bytes of the PDF; ``context`` as for ``template_name`` (a member's copy, or
    ``assistance/data_pdf.html`` for an assisted person's)."""
    from weasyprint import CSS, HTML

    html = render_to_string(template_name, context, request=request)
    stylesheet = CSS(filename=finders.find("css/print.css"))
    # No base URL: the copy links nothing, so WeasyPrint fetches nothing over the network.
    return HTML(string=html).write_pdf(stylesheets=[stylesheet])
