"""The month planner (domain/planning): merge a month of sections' planned visits into as few
entries as the rules allow. `parse` reads the `anjian plan` input, `planner.make_plan` plans
(greedy warm start, then the MILP in `milp.py`, the one solver adapter), `validate` checks any plan
independently, `bounds` gives the proven lower bound."""
