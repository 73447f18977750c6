"""Writes of the policy area, one module per record kind. Each write takes the acting user, runs in
one transaction, validates fully and writes its audit entry in the same transaction."""
