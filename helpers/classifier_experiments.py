"""Chapter 6's comparisons, each over three seeds, and where pretraining pays off.

    python -m helpers.classifier_experiments baselines    # the keyword rule and a bag of n-grams
    python -m helpers.classifier_experiments settings     # each setting the chapter compares
    python -m helpers.classifier_experiments few_labels   # pretrained against random, by labels
    python -m helpers.classifier_experiments learning_rates --seeds 0   # how the rates were picked

One run of a classifier is ``python -m helpers.finetune_classifier`` with the flags below, in its
own folder under --out; a run whose results.json is there already is read, not run again, so an
interrupted command resumes. Every setting is run once per seed (--seeds, default 0 1 2), and the
results of all runs, with each run's curve, go into one JSON file under data/results/ together
with the mean and spread (the sample standard deviation) of each setting.

The settings differ from the default run (all layers, pretrained, the last real token read) in
one flag each (LoRA also in its learning rate), so that a difference from the first row has one
cause. ``few_labels`` trains on the
first 50, 100, 200, 400 and all 1,400 training messages, from the pretrained weights and from
random ones, for the same number of steps at every size, so only the number of labels changes.
"""

import argparse
import json
import statistics
from pathlib import Path

import torch

from helpers.checkpoints import COURSE_GPT
from helpers.cli import existing_file
from helpers.corpora.messages import (
    HANDWRITTEN_DEV_FILE,
    HANDWRITTEN_TEST_FILE,
    TEST_FILE,
    TRAIN_FILE,
    VAL_FILE,
    keyword_baseline,
    read_messages,
)
from helpers.finetune_classifier import main as finetune
from helpers.finetune_classifier import message_groups
from helpers.ngram_classifier import (
    bag_of_ngrams,
    build_ngram_vocab,
    fit_logistic_regression,
    predict_labels,
)
from helpers.paths import DATA_DIR

RESULTS_DIR = DATA_DIR / "results"
# Flags of every run, then what makes each setting: one flag (LoRA also takes its own rate).
COMMON_FLAGS = ("--epochs", "8", "--eval-every", "20")
SETTINGS = {
    "all layers": (),
    "all layers, 16 epochs": ("--epochs", "16"),  # twice as long: does more training help?
    "last block": ("--trainable", "last_block"),
    "head only": ("--trainable", "head"),
    "LoRA, rank 8": ("--lora-rank", "8", "--lr", "5e-3"),
    "random init": ("--init", "random"),
    "read the last position": ("--read", "last"),
    "read the first position": ("--read", "first"),
    "read the mean of real tokens": ("--read", "mean"),
}
# The rates tried, by validation accuracy, before the settings above were run.
LEARNING_RATES = {
    **{f"all layers, lr {lr}": ("--lr", lr) for lr in ("5e-4", "1e-3", "2e-3")},
    **{
        f"LoRA, rank 8, lr {lr}": ("--lora-rank", "8", "--lr", lr)
        for lr in ("2e-3", "5e-3", "1e-2")
    },
}
FEW_LABEL_SIZES = (50, 100, 200, 400, 1400)
FEW_LABEL_FLAGS = ("--max-steps", "300", "--batch-size", "16", "--eval-every", "20")
NGRAM_MAX_N = 2  # single words and word pairs
EVAL_FILES = {
    "val": VAL_FILE,
    "test": TEST_FILE,
    "handwritten_dev": HANDWRITTEN_DEV_FILE,
    "handwritten_test": HANDWRITTEN_TEST_FILE,
}
SCORES = ("test_accuracy", "handwritten_dev_accuracy", "handwritten_test_accuracy")


def build_parser() -> argparse.ArgumentParser:
    """The experiment to run and where its runs and results go."""
    p = argparse.ArgumentParser(
        prog="python -m helpers.classifier_experiments", description=__doc__.split("\n")[0]
    )
    p.add_argument("experiment", choices=["baselines", "settings", "few_labels", "learning_rates"])
    p.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2], help="seeds (default: 0 1 2)")
    p.add_argument(
        "--base",
        type=existing_file,
        default=COURSE_GPT,
        help="the pretrained GPT (default: data/checkpoints/course_gpt.safetensors)",
    )
    p.add_argument(
        "--out",
        type=Path,
        default=Path("runs/classifier_experiments"),
        help="folder for one subfolder per run (default: %(default)s)",
    )
    p.add_argument(
        "--results",
        type=Path,
        default=None,
        help="the JSON file to write (default: data/results/classifier_<experiment>.json)",
    )
    p.add_argument(
        "--device", choices=["auto", "cpu", "cuda", "mps"], default="cpu", help="(default: cpu)"
    )
    return p


def folder_name(name: str) -> str:
    """A setting's name as a folder name: "LoRA, rank 8" -> "lora_rank_8"."""
    return "_".join("".join(c if c.isalnum() else " " for c in name.lower()).split())


def run_once(args: argparse.Namespace, out: Path, flags: tuple[str, ...]) -> dict:
    """One finetuning run, or its results.json if an earlier command finished it."""
    done = out / "results.json"
    if done.is_file():
        return json.loads(done.read_text())
    argv = ["--base", str(args.base), "--out", str(out), "--device", args.device, *flags]
    return finetune(argv)


def run_row(setting: str, seed: int, results: dict, **extra) -> dict:
    """What the results file keeps of one run: its scores, by group too, and its curve."""
    groups = results["by_group"] or {}
    return {
        "setting": setting,
        "seed": seed,
        **extra,
        **{score: results[score] for score in SCORES},
        "val_accuracy": results["val_accuracy"],
        "best_step": results["best_step"],
        "by_group": {name: group["accuracy"] for name, group in groups.items()},
        "trainable_parameters": results["trainable_parameters"],
        "curve": results["curve"],
    }


def mean_and_spread(values: list[float]) -> dict:
    """The mean, the sample standard deviation (0 for one value), the lowest and the highest."""
    spread = statistics.stdev(values) if len(values) > 1 else 0.0
    return {"mean": statistics.fmean(values), "std": spread, "min": min(values), "max": max(values)}


def summarise(rows: list[dict], keys: tuple[str, ...]) -> list[dict]:
    """One line per group of rows with the same keys: mean and spread of each of SCORES."""
    groups: dict[tuple, list[dict]] = {}
    for row in rows:
        groups.setdefault(tuple(row[k] for k in keys), []).append(row)
    return [
        {
            **dict(zip(keys, key, strict=True)),
            "seeds": [row["seed"] for row in group],
            **{score: mean_and_spread([row[score] for row in group]) for score in SCORES},
        }
        for key, group in groups.items()
    ]


def run_settings(
    args: argparse.Namespace, settings: dict | None = None, name: str = "settings"
) -> dict:
    """Every setting of SETTINGS (or of settings), once per seed."""
    rows = []
    for setting, flags in (SETTINGS if settings is None else settings).items():
        for seed in args.seeds:
            out = args.out / name / folder_name(setting) / f"seed{seed}"
            results = run_once(args, out, (*COMMON_FLAGS, *flags, "--seed", str(seed)))
            rows.append(run_row(setting, seed, results, flags=list(flags)))
    return {
        "common_flags": list(COMMON_FLAGS),
        "summary": summarise(rows, ("setting",)),
        "runs": rows,
    }


def run_few_labels(args: argparse.Namespace) -> dict:
    """Pretrained and random initial weights, at each size of FEW_LABEL_SIZES, once per seed."""
    rows = []
    for size in FEW_LABEL_SIZES:
        for init in ("pretrained", "random"):
            for seed in args.seeds:
                out = args.out / "few_labels" / f"{init}_{size}" / f"seed{seed}"
                flags = (*FEW_LABEL_FLAGS, "--train-size", str(size), "--init", init)
                results = run_once(args, out, (*flags, "--seed", str(seed)))
                rows.append(run_row(init, seed, results, train_size=size))
    return {
        "common_flags": list(FEW_LABEL_FLAGS),
        "summary": summarise(rows, ("setting", "train_size")),
        "runs": rows,
    }


def run_baselines(args: argparse.Namespace) -> dict:
    """The keyword rule and a bag of word n-grams with logistic regression, on every split.

    Both are deterministic (the regression starts from zeros), so --seeds plays no part.
    """
    train = read_messages(TRAIN_FILE)
    splits = {name: read_messages(file) for name, file in EVAL_FILES.items()}
    vocab = build_ngram_vocab([text for text, _ in train], NGRAM_MAX_N)
    features = bag_of_ngrams([text for text, _ in train], vocab, NGRAM_MAX_N)
    model = fit_logistic_regression(features, torch.tensor([label for _, label in train]))

    def ngram_answers(pairs: list[tuple[str, int]]) -> list[int]:
        return predict_labels(
            model, bag_of_ngrams([text for text, _ in pairs], vocab, NGRAM_MAX_N)
        ).tolist()

    def keyword_answers(pairs: list[tuple[str, int]]) -> list[int]:
        return [keyword_baseline(text) for text, _ in pairs]

    return {
        "keyword_rule": scores_of(keyword_answers, splits),
        "ngram_logistic_regression": {
            "max_n": NGRAM_MAX_N,
            "features": len(vocab),
            **scores_of(ngram_answers, splits),
        },
    }


def scores_of(answer, splits: dict[str, list[tuple[str, int]]]) -> dict:
    """Accuracy of answer(pairs) on each split, and on each group of the test split."""
    scores = {}
    for name, pairs in splits.items():
        right = [a == label for a, (_, label) in zip(answer(pairs), pairs, strict=True)]
        scores[name] = sum(right) / len(right)
        if name == "test":
            for group, indices in (message_groups(pairs) or {}).items():
                scores[group] = sum(right[i] for i in indices) / len(indices)
    return scores


def run_learning_rates(args: argparse.Namespace) -> dict:
    """All layers and LoRA at three learning rates each: the validation accuracy picks one."""
    return run_settings(args, LEARNING_RATES, "learning_rates")


EXPERIMENTS = {
    "baselines": run_baselines,
    "settings": run_settings,
    "few_labels": run_few_labels,
    "learning_rates": run_learning_rates,
}


def main(argv: list[str] | None = None) -> dict:
    args = build_parser().parse_args(argv)
    results = EXPERIMENTS[args.experiment](args)
    path = args.results or RESULTS_DIR / f"classifier_{args.experiment}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=1) + "\n")
    print(f"wrote {path}")
    return results


if __name__ == "__main__":
    main()
