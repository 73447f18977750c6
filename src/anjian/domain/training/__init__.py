"""Training rules without Django: the required hours and certificate periods (read from
`policy_data/training/`), a person's hours against them, certificate due dates and alerts, and an
institution's suspension on a given day."""
