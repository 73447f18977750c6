"""Adaptive testing for the training module (issue 7, part 6 "Measurement"): the 2PL model and
EAP ability (`irt`), item selection and one exam as a state machine (`cat`), MML-EM calibration
(`calibration`), simulation of exams on a bank (`simulate`) and the CLI input (`parse`).

Pure numpy over frozen dataclasses: no Django, no global random (seeds are passed in).
"""
