"""The held-out evaluation sets (tests/strategies/heldout/) stay well-formed: 40 texts
per language, unique ids, goals 1–17, targets of their own goals, Green Deal codes of
the list. They are for measuring (bench/), never for tuning: their labels were written
before the engine saw them, and nothing here compares them with its output."""

from pathlib import Path

import pytest
import yaml

from app.strategies.keywords import GREEN_DEAL_AREAS

HELDOUT = Path(__file__).with_name("heldout")


@pytest.mark.parametrize("language", ["pl", "en", "cs", "sk", "hu"])
def test_each_language_has_forty_labelled_texts(language):
    data = yaml.safe_load((HELDOUT / f"{language}.yaml").read_text(encoding="utf-8"))
    texts = data["texts"]
    assert len(texts) == 40
    assert len({t["id"] for t in texts}) == 40
    for t in texts:
        assert t["language"] == language and t["source"] and len(t["text"].split()) >= 40
        assert all(1 <= int(goal) <= 17 for goal in t["goals"]), t["id"]
        assert all(target.split(".")[0] in t["goals"] for target in t.get("targets", [])), t["id"]
        assert set(t["green_deal"]) <= set(GREEN_DEAL_AREAS), t["id"]
    # Some texts are about no goal at all: "no goal" must stay a possible answer.
    assert sum(1 for t in texts if not t["goals"]) >= 3
