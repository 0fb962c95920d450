"""The TLS certificate of the service's URL: days to its expiry (verified, as every connection)."""

from __future__ import annotations

import ssl
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import anyio
from anyio.streams.tls import TLSAttribute

from semaine.environments.monitoring import CertificateLimits
from semaine.monitoring.checks.base import LimitedCheck, Measured
from semaine.records.history import CheckResult, CheckState

if TYPE_CHECKING:
    from semaine.monitoring.checks.base import Target

NAME = "tls"
HTTPS_PORT = 443
SECONDS_PER_DAY = 86_400


@dataclass(frozen=True)
class CertificateCheck(LimitedCheck[CertificateLimits]):
    """Down when the certificate fails verification or expires within `down_within_days`."""

    name: str = NAME

    def skipped_because(self, target: Target) -> str | None:
        """Skipped for an http:// URL: there is no certificate to read."""
        scheme = urlsplit(target.base_url).scheme
        return None if scheme == "https" else f"{scheme}:// URL: no TLS certificate to read"

    async def measure(self, target: Target) -> Measured:
        """Open a verified TLS connection and read the certificate's notAfter."""
        began = time.perf_counter()
        parts = urlsplit(target.base_url)
        host, port = parts.hostname or "", parts.port or HTTPS_PORT
        try:
            expires = await certificate_expiry(host, port)
        except ssl.SSLCertVerificationError as error:
            why = error.verify_message or error.reason or "verification failed"
            return self._measured("down", began, f"the certificate of {host} fails: {why}", {})
        except (OSError, ssl.SSLError, anyio.BrokenResourceError) as error:
            detail = f"no TLS connection to {host}:{port}: {type(error).__name__}: {error}"
            return self._measured("down", began, detail, {})
        days = (expires - target.now).total_seconds() / SECONDS_PER_DAY
        figures = {"days_to_expiry": round(days, 1)}
        when = f"the certificate of {host} expires {expires:%Y-%m-%d} ({days:.0f} days)"
        if days <= self.limits.down_within_days:
            return self._measured("down", began, f"{when}: renew it now", figures)
        if days <= self.limits.degraded_within_days:
            limit = self.limits.degraded_within_days
            return self._measured("degraded", began, f"{when}, within {limit} days", figures)
        return self._measured("up", began, when, figures)

    def _measured(
        self, state: CheckState, began: float, detail: str, figures: dict[str, float]
    ) -> Measured:
        thresholds = {
            "degraded_within_days": self.limits.degraded_within_days,
            "down_within_days": self.limits.down_within_days,
        }
        seconds = time.perf_counter() - began
        return Measured(
            CheckResult(
                state=state, seconds=seconds, detail=detail, figures=figures, thresholds=thresholds
            )
        )


async def certificate_expiry(host: str, port: int) -> datetime:
    """Return when the verified certificate of host:port expires (SSL_CERT_FILE is honoured)."""
    context = ssl.create_default_context()
    # Only the handshake matters: no closing exchange (close_notify) is waited for.
    async with await anyio.connect_tcp(
        host, port, ssl_context=context, tls=True, tls_hostname=host, tls_standard_compatible=False
    ) as stream:
        # anyio's extra(), not Django's QuerySet.extra(): no SQL anywhere near it.
        certificate = stream.extra(TLSAttribute.peer_certificate)  # noqa: S610  # nosec B610
    if not certificate or "notAfter" not in certificate:
        message = "the server sent no certificate"
        raise ssl.SSLError(message)
    return datetime.fromtimestamp(ssl.cert_time_to_seconds(str(certificate["notAfter"])), UTC)
