"""Tokens used by the model in this session, and what they cost when the model's price is known."""

from __future__ import annotations

from textual.widgets import Static


class UsageMeter(Static):
    def show(self, by_model: list[tuple[str, int, int]], price) -> None:
        if not by_model:
            self.update("")
            return
        prompt = sum(p for _, p, _ in by_model)
        completion = sum(c for _, _, c in by_model)
        costs = [price(model, p, c) for model, p, c in by_model]
        known = [c for c in costs if c is not None]
        money = f" · ~${sum(known):.4f}" if known else " · cost n/a"
        self.update(f"tokens {prompt:,} in / {completion:,} out{money}")
