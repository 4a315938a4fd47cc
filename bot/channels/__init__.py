"""Channel adapters: Telegram (customers, ops group, escalation chat) and X (mentions, DMs).

python-telegram-bot 22 still returns time periods (e.g. `RetryAfter.retry_after`) as
int with a deprecation warning unless PTB_TIMEDELTA is set; we opt in to the timedelta
behaviour for the whole process so the warning never fires mid-request.
"""

from __future__ import annotations

import os

os.environ.setdefault("PTB_TIMEDELTA", "true")
