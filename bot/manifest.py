"""The Slack app manifest: bot/manifest.yaml (Socket Mode), or its HTTP variant for a public URL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

MANIFEST = Path(__file__).with_name("manifest.yaml")
EVENTS_PATH = "/slack/events"  # where Slack sends every request in HTTP mode; bot/web.py serves it


def manifest(command: str = "/pnet", http_base_url: str | None = None) -> dict[str, Any]:
    data = yaml.safe_load(MANIFEST.read_text())
    data["features"]["slash_commands"][0]["command"] = command
    if http_base_url:
        url = http_base_url.rstrip("/") + EVENTS_PATH
        data["settings"]["socket_mode_enabled"] = False
        data["settings"]["event_subscriptions"]["request_url"] = url
        data["settings"]["interactivity"]["request_url"] = url
        data["features"]["slash_commands"][0]["url"] = url
    return data


def to_yaml(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
