"""python -m helpers.classifier_experiments: seeds, summaries, resuming, and the baselines."""

import json
import statistics

import pytest

from helpers import classifier_experiments as experiments
from helpers.corpora.messages import (
    HANDWRITTEN_TEST_FILE,
    TEST_FILE,
    keyword_accuracy,
    read_messages,
)

TINY = ("--train-size", "16", "--batch-size", "8", "--max-steps", "2", "--eval-every", "2")


def test_setting_names_become_plain_folder_names():
    assert experiments.folder_name("LoRA, rank 8") == "lora_rank_8"
    assert experiments.folder_name("read the last position") == "read_the_last_position"
    folders = [experiments.folder_name(name) for name in experiments.SETTINGS]
    assert len(set(folders)) == len(folders)


def test_every_setting_differs_from_the_default_run_in_its_own_flags():
    flags = [tuple(f) for f in experiments.SETTINGS.values()]
    assert flags[0] == () and len(set(flags)) == len(flags)


def test_mean_and_spread_match_the_statistics_module():
    values = [0.95, 0.97, 0.96]
    summary = experiments.mean_and_spread(values)
    assert summary["mean"] == pytest.approx(statistics.mean(values))
    assert summary["std"] == pytest.approx(statistics.stdev(values))
    assert (summary["min"], summary["max"]) == (0.95, 0.97)
    assert experiments.mean_and_spread([0.5])["std"] == 0.0


@pytest.fixture
def tiny_settings(monkeypatch):
    """Two settings of two tiny steps each, so that a whole experiment runs in seconds."""
    monkeypatch.setattr(experiments, "COMMON_FLAGS", TINY)
    settings = {"all layers": (), "head only": ("--trainable", "head")}
    monkeypatch.setattr(experiments, "SETTINGS", settings)


def test_settings_run_each_setting_per_seed_and_summarise_them(
    tiny_base, tmp_path, tiny_settings, monkeypatch
):
    argv = ["settings", "--base", str(tiny_base), "--out", str(tmp_path / "runs")]
    results = experiments.main([*argv, "--seeds", "0", "1", "--results", str(tmp_path / "r.json")])
    assert json.loads((tmp_path / "r.json").read_text()) == results
    runs = results["runs"]
    assert [(r["setting"], r["seed"]) for r in runs] == [
        ("all layers", 0),
        ("all layers", 1),
        ("head only", 0),
        ("head only", 1),
    ]
    assert runs[2]["trainable_parameters"] < runs[0]["trainable_parameters"]
    for line in results["summary"]:
        mine = [r["test_accuracy"] for r in runs if r["setting"] == line["setting"]]
        assert line["test_accuracy"]["mean"] == pytest.approx(statistics.mean(mine))
        assert line["seeds"] == [0, 1]
    # A second command reads the finished runs instead of training again.
    monkeypatch.setattr(experiments, "finetune", lambda argv: pytest.fail("ran again"))
    again = experiments.main([*argv, "--seeds", "0", "1", "--results", str(tmp_path / "s.json")])
    assert again == results


def test_baselines_score_the_keyword_rule_and_the_ngram_model_on_every_split(tmp_path):
    results = experiments.main(["baselines", "--results", str(tmp_path / "b.json")])
    rule, ngram = results["keyword_rule"], results["ngram_logistic_regression"]
    assert rule["test"] == pytest.approx(keyword_accuracy(read_messages(TEST_FILE)))
    handwritten = read_messages(HANDWRITTEN_TEST_FILE)
    assert rule["handwritten_test"] == pytest.approx(keyword_accuracy(handwritten))
    assert ngram["test"] > rule["test"]
    for scores in (rule, ngram):
        assert {"negated", "plain", "test_only_words", "no_test_only_words"} <= set(scores)
        assert min(scores["negated"], scores["plain"]) <= scores["test"]
        assert scores["test"] <= max(scores["negated"], scores["plain"])


def test_the_learning_rates_tried_are_three_per_method_and_each_sets_lr():
    flags = list(experiments.LEARNING_RATES.values())
    assert len(flags) == 6 and len({tuple(f) for f in flags}) == 6
    assert all(f[f.index("--lr") + 1] in ("5e-4", "1e-3", "2e-3", "5e-3", "1e-2") for f in flags)
    assert sum("--lora-rank" in f for f in flags) == 3
