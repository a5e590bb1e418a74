"""Public relations (公共关系, issue 15 item 6): outside bodies, their contacts, the dealings with them."""
