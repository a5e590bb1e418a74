"""Console pages of the affairs domain, included into the console's namespace by console/urls.py."""

from django.urls import path

from .views.affairs import (
    configuration,
    documents,
    handover,
    lost_found,
    parking,
    release,
    renovation,
    visitors,
)

urlpatterns = [
    # move-in and move-out (issue 13, item 1)
    path("affairs/handovers/", handover.handovers, name="affairs_handovers"),
    path("affairs/handovers/<int:handover_id>/", handover.handover, name="affairs_handover"),
    path("affairs/handovers/<int:handover_id>/lines/", handover.handover_add_line, name="affairs_handover_add_line"),
    path("affairs/handovers/<int:handover_id>/sign/", handover.handover_sign, name="affairs_handover_sign"),
    path("affairs/handover-lines/<int:line_id>/", handover.handover_line, name="affairs_handover_line"),
    path("affairs/settings/", configuration.affairs_settings, name="affairs_settings"),
    # renovation (item 2)
    path("affairs/renovations/", renovation.renovations, name="affairs_renovations"),
    path("affairs/renovations/<int:renovation_id>/", renovation.renovation, name="affairs_renovation"),
    path("affairs/renovations/<int:renovation_id>/files/", renovation.renovation_files,
         name="affairs_renovation_files"),
    path("affairs/renovation-files/<int:file_id>/", renovation.renovation_file, name="affairs_renovation_file"),
    path("affairs/renovations/<int:renovation_id>/review/", renovation.renovation_review,
         name="affairs_renovation_review"),
    path("affairs/renovations/<int:renovation_id>/agreement/", renovation.renovation_agreement,
         name="affairs_renovation_agreement"),
    path("affairs/renovations/<int:renovation_id>/permit/", renovation.renovation_permit,
         name="affairs_renovation_permit"),
    path("affairs/renovations/<int:renovation_id>/accept/", renovation.renovation_accept,
         name="affairs_renovation_accept"),
    path("affairs/renovations/<int:renovation_id>/refund/", renovation.renovation_refund,
         name="affairs_renovation_refund"),
    path("affairs/patrols/", renovation.patrols, name="affairs_patrols"),
    path("affairs/patrols/<int:renovation_id>/", renovation.patrol, name="affairs_patrol"),
    path("affairs/rectifications/<int:rectification_id>/recheck/", renovation.rectification_recheck,
         name="affairs_recheck"),
    # goods release (item 3)
    path("affairs/passes/", release.passes, name="affairs_passes"),
    path("affairs/passes/<int:pass_id>/", release.release_pass, name="affairs_pass"),
    path("affairs/passes/<int:pass_id>/authorise/", release.pass_authorise, name="affairs_pass_authorise"),
    path("affairs/passes/<int:pass_id>/cancel/", release.pass_cancel, name="affairs_pass_cancel"),
    path("affairs/release-register/", release.register, name="affairs_register"),
    # the gate (security)
    path("gate/", release.gate, name="gate"),
    path("gate/passes/<int:pass_id>/release/", release.gate_release, name="gate_release"),
    path("gate/plates/", release.gate_plate, name="gate_plate"),
    path("gate/visitors/", visitors.visitors, name="gate_visitors"),
    path("gate/visitors/recall/", visitors.visitor_recall, name="gate_visitor_recall"),
    path("gate/visits/<int:visit_id>/checkout/", visitors.visit_checkout, name="gate_visit_checkout"),
    # parking (item 4)
    path("affairs/parking/", parking.spaces, name="affairs_parking"),
    path("affairs/parking/<int:space_id>/", parking.space, name="affairs_space"),
    path("affairs/parking/allocations/<int:allocation_id>/end/", parking.allocation_end,
         name="affairs_allocation_end"),
    # lost and found (item 6)
    path("affairs/found/", lost_found.found_items, name="affairs_found"),
    path("affairs/found/<int:item_id>/", lost_found.found_item, name="affairs_found_item"),
    path("affairs/found/<int:item_id>/dispose/", lost_found.found_item_dispose, name="affairs_found_dispose"),
    path("affairs/found/<int:item_id>/signature/", lost_found.claim_signature, name="affairs_claim_signature"),
    path("affairs/photos/<int:photo_id>/", lost_found.photo, name="affairs_photo"),
    # documents and registers (items 1-4, 7)
    path("affairs/handovers/<int:handover_id>/pdf/", documents.handover_pdf, name="affairs_handover_pdf"),
    path("affairs/renovations/<int:renovation_id>/pdf/", documents.renovation_pdf, name="affairs_renovation_pdf"),
    path("affairs/passes/<int:pass_id>/pdf/", documents.pass_pdf, name="affairs_pass_pdf"),
    path("affairs/parking/allocations/<int:allocation_id>/pdf/", documents.allocation_pdf,
         name="affairs_allocation_pdf"),
    path("affairs/registers/<str:register>.xlsx", documents.export, name="affairs_export"),
]
