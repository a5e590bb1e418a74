"""The owners assembly and committee (issue 15 item 5): meetings, sign-in, minutes, reports."""
