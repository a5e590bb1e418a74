"""Console pages of the engage domain (issue 15)."""
