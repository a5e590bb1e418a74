"""Background jobs of the service desk: thin wrappers over services (arguments are ids, JSON-safe)."""

from django.tasks import task

from .sweep import sweep_sla


@task
def sla_sweep() -> dict:
    """Warn at 80 % and escalate at 100 % of every limit, once each (see sweep.py)."""
    report = sweep_sla()
    return {"warned": report.warned, "breached": report.breached}
