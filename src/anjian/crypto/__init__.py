"""Personal data at rest: the SM4 field, its keyring, the re-encryption of stored values
(migrations and `anjian rekey`) and the start-up refusal when a key is missing
(docs/ops/keys.md). The ciphers themselves are pure functions in `anjian.domain.ciphers`."""
