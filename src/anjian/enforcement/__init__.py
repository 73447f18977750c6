"""Penalties (行政处罚): discretion benchmarks and flexible-enforcement lists as versioned data,
penalty cases walking the statutory procedure, their documents, and the consistency monitor."""
