"""PDFs and .xlsx registers of public affairs (issue 13, items 1-4 and 7)."""

from django.http import Http404

from propdesk.affairs import documents, registers, selectors

from ...decorators import staff_view
from ._helpers import file_response, int_param

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@staff_view
def handover_pdf(request, handover_id: int):
    h = selectors.get_handover(request.user, handover_id)
    return file_response(documents.handover_pdf(h), documents.PDF, f"handover-{h.pk}.pdf", inline=True)


@staff_view
def renovation_pdf(request, renovation_id: int):
    r = selectors.get_renovation(request.user, renovation_id)
    return file_response(documents.renovation_pdf(r), documents.PDF, f"renovation-{r.pk}.pdf", inline=True)


@staff_view
def pass_pdf(request, pass_id: int):
    p = selectors.get_pass(request.user, pass_id)
    return file_response(documents.pass_pdf(p), documents.PDF, f"{p.number}.pdf", inline=True)


@staff_view
def allocation_pdf(request, allocation_id: int):
    a = selectors.get_allocation(request.user, allocation_id)
    return file_response(documents.parking_pdf(a), documents.PDF, f"{a.agreement_number}.pdf", inline=True)


@staff_view
def export(request, register: str):
    if register not in registers.REGISTERS:
        raise Http404
    name, content = registers.export(request.user, register, int_param(request, "project"))
    return file_response(content, XLSX, name)
