"""Tokens used by the model in this session, and what they cost when the model's price is known."""

from __future__ import annotations

from textual.widgets import Static

from mockmle.core.tokens import total_cost


class UsageMeter(Static):
    def show(self, by_model: list[tuple[str, int, int]], price) -> None:
        if not by_model:
            self.update("")
            return
        prompt = sum(p for _, p, _ in by_model)
        completion = sum(c for _, _, c in by_model)
        cost = total_cost(by_model, price)
        money = f" · ~${cost:.4f}" if cost is not None else " · cost n/a"
        self.update(f"tokens {prompt:,} in / {completion:,} out{money}")
