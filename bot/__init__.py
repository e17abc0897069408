"""Slack and command-line shell around the answer engine. The only layer that knows Slack."""
