"""A conversation: follow-ups are condensed with the history into standalone questions."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from assistant.types import Answer

if TYPE_CHECKING:
    from assistant.api import Assistant

_FOLLOW_UP = re.compile(
    r"^\s*(and|but|what about|how about|also|so|then)\b|"
    r"\b(they|them|their|it|its|that|this|those|he|she)\b",
    re.I,
)


@dataclass(slots=True)
class Turn:
    question: str
    standalone: str
    answer: Answer


@dataclass(slots=True)
class Conversation:
    """Keeps the turns of one chat; `ask` condenses, answers and remembers."""

    assistant: Assistant
    engine: str = "extractive"
    today: date | None = None
    turns: list[Turn] = field(default_factory=list)

    def condense(self, question: str) -> str:
        """A standalone question: the follow-up plus the topic words of the last question."""
        if not self.turns or not _FOLLOW_UP.search(question):
            return question
        previous = self.turns[-1].standalone
        if self.engine == "llm" and self.assistant.chat_model is not None:
            from assistant.llm.chat import ChatError, Message
            from assistant.llm.prompts import render

            history = "\n".join(f"Q: {t.question}" for t in self.turns[-3:])
            try:
                text = self.assistant.chat_model.complete(
                    [
                        Message(
                            "user", render("condense_question", history=history, question=question)
                        )
                    ]
                ).strip()
                if text and len(text) < 400:
                    return text
            except ChatError:
                pass
        return f"{question.rstrip('?')} ({previous.rstrip('?')})?"

    def ask(self, question: str, **filters: object) -> Answer:
        standalone = self.condense(question)
        answer = self.assistant.ask(standalone, engine=self.engine, today=self.today, **filters)  # type: ignore[arg-type]
        answer.standalone_question = standalone if standalone != question else None
        self.turns.append(Turn(question, standalone, answer))
        return answer
