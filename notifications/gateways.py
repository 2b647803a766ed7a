"""One small interface for SMS and WhatsApp: ``gateway().send(phone, text, channel)``.

The provider is ``settings.SMS_PROVIDER`` (``kk_portal/settings.py``, ``env_sms``):
``console`` prints each message (the demo's worker shows them), ``http`` posts it to the
provider's endpoint ``SMS_HTTP_URL`` with the key ``SMS_HTTP_KEY``. A failed send raises, so
the retrying task (``kk_portal.tasks.retrying_task``) tries it again later.
"""

import json
import sys
import urllib.error
import urllib.request

from django.conf import settings

#: Seconds to wait for the HTTP provider before the send counts as failed.
HTTP_TIMEOUT = 10


class GatewayError(Exception):
    """The provider refused a message or could not be reached."""


class ConsoleGateway:
    """Writes each message to standard output, one line: ``[SMS +62812…] text``."""

    def send(self, phone, text, channel):
        sys.stdout.write(f"[{channel.upper()} {phone}] {text}\n")
        sys.stdout.flush()


class HttpGateway:
    """Posts ``{"to": phone, "channel": "sms"|"whatsapp", "text": text}`` as JSON to ``url``
    with ``Authorization: Bearer <key>``; any answer but 2xx raises ``GatewayError``."""

    def __init__(self, url, key):
        self.url = url
        self.key = key

    def send(self, phone, text, channel):
        body = json.dumps({"to": phone, "channel": channel, "text": text}).encode()
        request = urllib.request.Request(
            self.url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {self.key}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT) as answer:
                status = answer.status
        except urllib.error.HTTPError as error:
            raise GatewayError(f"SMS gateway answered {error.code}") from error
        except OSError as error:
            raise GatewayError(f"SMS gateway unreachable: {error}") from error
        if not 200 <= status < 300:
            raise GatewayError(f"SMS gateway answered {status}")


def gateway():
    """The gateway of ``settings.SMS_PROVIDER``."""
    if settings.SMS_PROVIDER == "http":
        return HttpGateway(settings.SMS_HTTP_URL, settings.SMS_HTTP_KEY)
    return ConsoleGateway()
