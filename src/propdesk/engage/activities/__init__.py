"""Community activities (社区活动, issue 15 item 2): services (writes) and selectors (reads)."""
