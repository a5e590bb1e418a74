from django.contrib import admin

from .models import KpiTarget


@admin.register(KpiTarget)
class KpiTargetAdmin(admin.ModelAdmin):
    list_display = ("project", "code", "target")
    list_filter = ("project",)
