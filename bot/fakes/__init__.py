"""Local fake servers for the Telegram Bot API and the X API v2.

They speak real HTTP on 127.0.0.1 so the real python-telegram-bot and tweepy clients can be
exercised end to end (tests, `caretriage demo`) with no credentials and no internet.
"""
