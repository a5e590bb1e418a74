from django.contrib import admin

from .models import CallbackRule, CallbackTask, CareFlag


@admin.register(CallbackRule)
class CallbackRuleAdmin(admin.ModelAdmin):
    list_display = ("project", "kind", "is_active", "offset_days", "channel")
    list_filter = ("project", "kind", "is_active")


@admin.register(CareFlag)
class CareFlagAdmin(admin.ModelAdmin):
    list_display = ("customer", "reason", "since", "until")
    list_filter = ("reason",)
    raw_id_fields = ("customer",)


@admin.register(CallbackTask)
class CallbackTaskAdmin(admin.ModelAdmin):
    list_display = ("project", "kind", "customer", "due_date", "status", "reached", "rating", "assignee")
    list_filter = ("project", "kind", "status")
    raw_id_fields = ("customer", "unit", "work_order", "created_work_order")
