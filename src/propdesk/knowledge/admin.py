from django.contrib import admin

from .models import Faq


@admin.register(Faq)
class FaqAdmin(admin.ModelAdmin):
    list_display = ("question", "category", "project", "is_published", "updated_at")
    list_filter = ("category", "is_published", "project")
    search_fields = ("question", "search_text")
    # Read-only: writes go through knowledge.services (role check, search tokens, timeline) in the console.

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
