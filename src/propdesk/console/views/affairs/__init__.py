"""Console pages of public affairs (issue 13): thin views over propdesk.affairs."""
