from django.contrib import admin

from .models import Customer, CustomerPhone, Occupancy, Pet, UnitRecord, Vehicle


class PhoneInline(admin.TabularInline):
    model = CustomerPhone
    extra = 0


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "project", "customer_type", "masked_id_number", "last_confirmed_at")
    list_filter = ("project", "customer_type")
    search_fields = ("name", "code", "phones__number")
    # The full ID number is never shown here (nor its ciphertext or hash): the reveal goes through the
    # console and is recorded.
    exclude = ("id_number_encrypted", "id_number_hash", "id_number_mask")

    def get_search_results(self, request, queryset, search_term):
        """A full ID number typed into the search box finds its holder by keyed hash (exact match only)."""
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term.strip():
            results |= queryset.with_id_number(search_term)
        return results, may_have_duplicates
    inlines = [PhoneInline]


@admin.register(Occupancy)
class OccupancyAdmin(admin.ModelAdmin):
    list_display = ("unit", "customer", "role", "start_date", "end_date")
    list_filter = ("role",)
    raw_id_fields = ("unit", "customer")


admin.site.register(Vehicle)
admin.site.register(Pet)
admin.site.register(UnitRecord)
