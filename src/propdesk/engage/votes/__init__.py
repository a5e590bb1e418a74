"""Votes of the owners (issue 15 item 5): services, electorate, counting (the one place of art. 278), exports."""
