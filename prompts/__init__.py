"""Prompt texts, one file per task, loaded by name through assistant.llm.prompts."""
