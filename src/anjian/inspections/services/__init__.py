"""Writes of the inspections area. Every function takes the acting user, runs in one transaction
and leaves an audit entry; a refused write raises ValidationError and changes nothing."""
