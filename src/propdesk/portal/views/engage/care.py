"""The owner's own settings of the care calendar (issue 15 item 4): whether they want festival and birthday
greetings (a refusal is respected by every greeting the service centre sends)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from propdesk.engage.care import services
from propdesk.engage.models import ContactPreference

from ...decorators import owner_view


@owner_view
def care_settings(request):
    customers = list(request.owner.customers())
    if request.method == "POST":
        wanted = set(request.POST.getlist("greet"))
        for customer in customers:
            services.set_greetings_opt_out(request.owner, customer, str(customer.pk) not in wanted)
        messages.success(request, _("Your choice is saved."))
        return redirect("portal:care_settings")
    declined = set(ContactPreference.objects.filter(customer__in=customers, greetings_opt_out=True)
                   .values_list("customer_id", flat=True))
    return render(request, "portal/engage/care.html", {
        "rows": [(c, c.pk not in declined) for c in customers]})
