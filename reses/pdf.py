"""The reses agenda pack as an A4 PDF, rendered by WeasyPrint from an HTML template.

The PDF uses ``static/css/print.css``, the same A4 black-and-white stylesheet the browser
uses when the pack page is printed.
"""

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string


def agenda_pdf(context, request):
    """Bytes of the PDF of the agenda pack; ``context`` as for ``reses/agenda_pdf.html``."""
    from weasyprint import CSS, HTML

    html = render_to_string("reses/agenda_pdf.html", context, request=request)
    stylesheet = CSS(filename=finders.find("css/print.css"))
    # No base URL: the pack links nothing, so WeasyPrint fetches nothing over the network.
    return HTML(string=html).write_pdf(stylesheets=[stylesheet])
