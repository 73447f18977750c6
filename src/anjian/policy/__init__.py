"""Policy: versioned rule sets, quiet-period calendars and exceptions, entry bookings and the
inspection item list (涉企行政检查事项清单)."""
