"""Who may do what in public affairs: the role groups the services enforce and the pages ask about."""

from propdesk.org.access import ARCHIVE_EDITORS, MANAGERS
from propdesk.org.models import User

R = User.Role

# The desk: handovers, applications taken at the counter, authorisations by phone, parking allocations.
DESK = ARCHIVE_EDITORS
# Reviews of renovations, deposit refunds, disposal of unclaimed items.
REVIEWERS = MANAGERS
# Hot-work permits and completion acceptance: the engineering side and the managers.
ENGINEERS = MANAGERS + (R.TECHNICIAN, R.SECURITY)
# The gate: releases, visitors, plate and pass lookups.
GATE = MANAGERS + (R.SECURITY, R.FRONT_DESK)
# Renovation patrols: guards, technicians, butlers and managers walk them.
PATROL = MANAGERS + (R.SECURITY, R.TECHNICIAN, R.BUTLER)
# Claims of found items are handed over by the desk or the security post.
CLAIM_HANDLERS = MANAGERS + (R.FRONT_DESK, R.BUTLER, R.SECURITY)
