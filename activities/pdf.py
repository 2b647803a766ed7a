"""The attendance sheet of an activity as an A4 PDF (WeasyPrint), to sign on paper, with
the same print stylesheet as the reses agenda pack (``static/css/print.css``)."""

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string


def attendance_sheet_pdf(context, request):
    """Bytes of the PDF; ``context`` as for ``activities/sheet_pdf.html``."""
    from weasyprint import CSS, HTML

    html = render_to_string("activities/sheet_pdf.html", context, request=request)
    stylesheet = CSS(filename=finders.find("css/print.css"))
    # No base URL: the sheet links nothing, so WeasyPrint fetches nothing over the network.
    return HTML(string=html).write_pdf(stylesheets=[stylesheet])
