"""The care calendar (关怀, issue 15 item 4): calendar (lunar and solar dates), services, selectors."""
