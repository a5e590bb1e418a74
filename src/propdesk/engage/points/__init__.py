"""Points (积分, issue 15 item 3): ledger (earn, adjust, post), rewards (catalogue, redemption), value."""
