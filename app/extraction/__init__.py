"""Proposing the attributed statements of a news text: rules and lexicons, no model, no database."""
