"""The JSON API: FastAPI routers and RFC 9457 problem details."""
