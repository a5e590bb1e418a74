"""Import and export of a project's archive as Excel workbooks.

`propdesk.archive.excel` is imported inside each view, so the rest of the console keeps working
while that module is absent or broken.
"""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from propdesk.archive import excel
from propdesk.archive.selectors import can_export_full_ids, can_transfer_archive
from propdesk.org.selectors import get_project, projects_for

from ..decorators import staff_view
from ..forms import ExportForm, ImportForm
from ..pagination import paginate

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


@staff_view
def transfer_index(request):
    page = paginate(request, projects_for(request.user))
    return render(request, "console/transfer_index.html", {"page": page})


@staff_view
def download_template(request):
    return xlsx_response(excel.build_template(), "propdesk-archive-template.xlsx")


def _transfer_page(request, project, status=200, **extra):
    context = {
        "project": project,
        "can_transfer": can_transfer_archive(request.user),
        "export_form": ExportForm(),
        "import_form": ImportForm(),
        "can_reveal": can_export_full_ids(request.user),
        **extra,
    }
    return render(request, "console/project_transfer.html", context, status=status)


@staff_view
def project_transfer(request, project_id: int):
    return _transfer_page(request, get_project(request.user, project_id))


@require_POST
@staff_view
def project_export(request, project_id: int):
    """Full ID numbers only when asked for; the exporter refuses (403) anyone but an administrator."""
    project = get_project(request.user, project_id)
    form = ExportForm(request.POST)
    reveal = form.is_valid() and form.cleaned_data["reveal_ids"]
    data = excel.export_project(request.user, project, reveal_ids=reveal)
    return xlsx_response(data, f"{project.code}-archive-{timezone.localdate():%Y%m%d}.xlsx")


@require_POST
@staff_view
def project_import(request, project_id: int):
    """Import an uploaded workbook; a rejected workbook imports nothing and every error is listed."""
    project = get_project(request.user, project_id)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _transfer_page(request, project, status=400, import_form=form)
    try:
        report = excel.import_project(request.user, project, form.cleaned_data["file"])
    except excel.ImportRejected as exc:
        return _transfer_page(request, project, status=400, import_errors=list(exc.errors))
    return _transfer_page(request, project, report=report, report_rows=report_rows(report))


def report_rows(report) -> list[tuple[str, object]]:
    """The import report's counts as (name, number) pairs, whatever shape the importer returns."""
    if isinstance(report, dict):
        items = report.items()
    elif hasattr(report, "counts") and isinstance(report.counts, dict):
        items = report.counts.items()
    elif hasattr(report, "__dataclass_fields__"):
        items = ((f, getattr(report, f)) for f in report.__dataclass_fields__)
    else:
        items = ((k, v) for k, v in vars(report).items() if not k.startswith("_"))
    return [(str(k).replace("_", " "), v) for k, v in items if isinstance(v, (int, float, str))]
