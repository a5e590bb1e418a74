from django.contrib import admin

from .models import KpiTarget, MonthlyReport


@admin.register(KpiTarget)
class KpiTargetAdmin(admin.ModelAdmin):
    list_display = ("project", "code", "target")
    list_filter = ("project",)


@admin.register(MonthlyReport)
class MonthlyReportAdmin(admin.ModelAdmin):
    list_display = ("project", "month", "built_at", "sent_at")
    list_filter = ("project",)
    exclude = ("pdf",)
