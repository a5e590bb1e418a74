from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import Building, Company, Project, Unit, User


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
