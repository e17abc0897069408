"""Slack listeners, one module per kind of request; each module has register(app, service)."""

from __future__ import annotations

from slack_bolt import App

from bot.listeners import actions, assistant, board, commands, events, shortcuts, views
from bot.service import Service


def register_all(app: App, service: Service) -> None:
    for module in (assistant, commands, events, actions, shortcuts, views, board):
        module.register(app, service)
