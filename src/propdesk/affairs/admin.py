"""Django admin of public affairs: read-mostly views for administrators; every write goes through the services."""

from django.contrib import admin

from .models import (
    AffairsSettings,
    ChecklistItem,
    FoundItem,
    Handover,
    ParkingAllocation,
    ParkingSpace,
    ReleasePass,
    Renovation,
)


@admin.register(AffairsSettings)
class AffairsSettingsAdmin(admin.ModelAdmin):
    list_display = ("project", "patrol_interval_days", "unclaimed_notice_days", "disposal_days")


@admin.register(ChecklistItem)
class ChecklistItemAdmin(admin.ModelAdmin):
    list_display = ("project", "group", "name", "quantity", "position", "active")
    list_filter = ("project", "group")


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Handover)
class HandoverAdmin(ReadOnly):
    list_display = ("unit", "customer", "kind", "status", "date")
    list_select_related = ("unit__building", "customer")


@admin.register(Renovation)
class RenovationAdmin(ReadOnly):
    list_display = ("unit", "applicant", "status", "planned_start", "planned_end", "deposit")
    list_select_related = ("unit__building", "applicant")


@admin.register(ReleasePass)
class ReleasePassAdmin(ReadOnly):
    list_display = ("number", "unit", "applicant", "date", "status")
    list_select_related = ("unit__building", "applicant")


@admin.register(ParkingSpace)
class ParkingSpaceAdmin(ReadOnly):
    list_display = ("project", "number", "zone", "kind", "status")


@admin.register(ParkingAllocation)
class ParkingAllocationAdmin(ReadOnly):
    list_display = ("space", "unit", "customer", "kind", "start_date", "end_date", "monthly_price")
    list_select_related = ("space", "unit__building", "customer")


@admin.register(FoundItem)
class FoundItemAdmin(ReadOnly):
    list_display = ("number", "description", "status", "found_at", "posted_at")
    exclude = ("finder_phone",)
