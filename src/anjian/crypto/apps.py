from django.apps import AppConfig


class CryptoConfig(AppConfig):
    name = "anjian.crypto"
    label = "crypto"
    verbose_name = "密钥与加密"

    def ready(self) -> None:
        from anjian.crypto import checks  # noqa: F401  (registers the deploy checks)
