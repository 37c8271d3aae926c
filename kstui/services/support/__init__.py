"""Customer service (to come): the help centre's searchable FAQ, a chat with a rule-based
assistant that can open a ticket, tickets and their replies, the hotline, e-mail and the
consumer-complaint route (12315) shown where a dispute stays unresolved."""
