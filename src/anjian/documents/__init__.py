"""文书登记簿: one register of every document the system issues, each kept exactly as served."""
