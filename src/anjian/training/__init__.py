"""Training and exams (安全培训与考试): the question bank; key personnel, training records, training
institutions and the on-site exams (逢查必考) follow."""
