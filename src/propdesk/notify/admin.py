from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "project", "channel", "recipient_name", "address", "event", "status", "attempts")
    list_filter = ("channel", "status", "project")
    search_fields = ("recipient_name", "address", "subject", "event")
    raw_id_fields = ("recipient_user",)
    date_hierarchy = "created_at"
    # A notification is a record of what was said: it is read here, never rewritten.
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request):
        return False
