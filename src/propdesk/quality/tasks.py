"""Background jobs of the quality app: thin wrappers over the report module."""

from django.tasks import task

from . import report


@task
def send_monthly_reports() -> int:
    """The periodic job: on the 1st (or, catching up, soon after) email last month's report of each
    project to its managers, once; on other days it does nothing."""
    return report.send_monthly_reports()
