"""The campaign's own management, as pure rules: ISO weeks and the weekly report's deadline,
a measure's status, a figure's change against last year and its target."""
