"""The engage domain's access matrix (see tests/domain_matrices.py for the shapes and who reads them)."""

CONSOLE: dict = {}
PORTAL: dict = {}
API_LISTS: dict = {}
API_OBJECTS: dict = {}
