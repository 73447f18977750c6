"""Penalty discretion (处罚裁量): the statute's ranges, the discretion benchmarks, the
flexible-enforcement lists, the engine that suggests a disposition, and the penalty procedure.
"""
