"""Answer -> plain text, Answer -> Block Kit. Slack's limits live here and nowhere else."""

from bot.render.blocks import LIMITS, escape, fallback_text, to_blocks
from bot.render.text import cite_map, to_markdown, to_text

__all__ = ["LIMITS", "cite_map", "escape", "fallback_text", "to_blocks", "to_markdown", "to_text"]
