"""The answer engine: text in, Answer out. Imports nothing from bot/ or slack_*."""
