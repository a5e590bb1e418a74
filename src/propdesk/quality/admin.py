from django.contrib import admin

from .models import KpiTarget, MonthlyReport, StaffEvaluation


@admin.register(KpiTarget)
class KpiTargetAdmin(admin.ModelAdmin):
    list_display = ("project", "code", "target")
    list_filter = ("project",)


@admin.register(MonthlyReport)
class MonthlyReportAdmin(admin.ModelAdmin):
    list_display = ("project", "month", "built_at", "sent_at")
    list_filter = ("project",)
    exclude = ("pdf",)


@admin.register(StaffEvaluation)
class StaffEvaluationAdmin(admin.ModelAdmin):
    list_display = ("project", "staff", "quarter", "final")
    list_filter = ("project", "quarter", "final")
    # Comments and the final mark go through the console (quality.evaluation_services), on the timeline.
    readonly_fields = ("project", "staff", "quarter", "manager_comment", "final", "finalised_by", "finalised_at")
