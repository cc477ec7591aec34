from tests.platform_support import http, platform

__all__ = ["http", "platform"]
