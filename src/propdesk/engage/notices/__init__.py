"""Notices (通知/公告, issue 15 item 1): services (writes), dispatch (the fan-out), selectors (reads), tokens
(the households' links) and pdf (the printable notice for the building's board)."""
