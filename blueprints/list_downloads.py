"""Every list as a file to download: its rows as CSV or Excel, with the list's search and filters, each download
written to the event log (services/spreadsheets.py writes the files)."""

from urllib.parse import urlencode

from flask import current_app, send_file, url_for
from flask_login import current_user

from blueprints.access import looking_at_list
from blueprints.web import filter_args
from models import Event, db
from services import spreadsheets
from services.dates import uk_today

SPREADSHEETS = ("csv", "xlsx")  # the kinds of file a list downloads as: the route's <any(...):spreadsheet>
SPREADSHEET_NAMES = {"csv": "CSV", "xlsx": "Excel"}


def list_download(spreadsheet, name, record_type, header, rows):
    """Every row of a list its filters find (`rows`, read from the database as they are written out) as a CSV file
    or an Excel workbook (`spreadsheet` "csv" or "xlsx") named `name`, the download first written to the event log:
    who took which list (of `record_type`), with which filters. A CSV file goes out as it is written; a workbook,
    once written to a temporary file, from it."""
    filters = {key: value for key, value in filter_args().items() if value}
    looking_at_list(record_type)
    with db.atomic():
        Event.record_download(current_user, record_type, SPREADSHEET_NAMES[spreadsheet], filters)
    file_name = f"{name}-{uk_today():%Y-%m-%d}.{spreadsheet}"
    if spreadsheet == "xlsx":
        workbook = spreadsheets.xlsx_temporary_file([(name.capitalize(), header, rows)])
        return send_file(workbook, mimetype=spreadsheets.XLSX, as_attachment=True, download_name=file_name)
    response = current_app.response_class(streamed(spreadsheets.csv_chunks(header, rows)), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response


def streamed(chunks):
    """`chunks`, read with a connection of their own: the request's is given back before the response is sent."""
    with db.connection_context():
        yield from chunks


def list_file_url(endpoint, spreadsheet):
    """The address of the current list's rows as a file (`spreadsheet` "csv" or "xlsx"), with its search and
    filters. The query string is encoded, never passed to url_for as options (such as _external)."""
    kept = filter_args()
    return url_for(endpoint, spreadsheet=spreadsheet) + (f"?{urlencode(kept)}" if kept else "")


def register_template_helpers(app):
    app.add_template_global(list_file_url)
