from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import Building, Company, Project, SecurityEvent, Unit, User


@admin.register(User)
class StaffAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, ("propdesk", {"fields": ("role", "company", "projects", "phone")}))
    list_display = ("username", "first_name", "last_name", "role", "is_active")
    list_filter = ("role", "is_active", "projects")
    filter_horizontal = ("projects", "groups", "user_permissions")


admin.site.register(Company)


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "service_mode", "company")


@admin.register(Building)
class BuildingAdmin(admin.ModelAdmin):
    list_display = ("project", "code", "name", "floors")
    list_filter = ("project",)


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("project", "building", "entrance", "number", "floor", "area", "status")
    list_filter = ("project", "status")
    search_fields = ("number",)
    list_select_related = ("project", "building")


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):
    """The security audit log, read-only: entries are written only by `org.audit.record()`."""

    list_display = ("at", "kind", "channel", "username", "user", "address", "path", "detail")
    list_filter = ("kind", "channel")
    search_fields = ("username", "address", "path")
    date_hierarchy = "at"
    list_select_related = ("user",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
