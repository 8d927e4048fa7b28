"""Chapter 7's comparisons, each over three seeds, and the baseline every model must beat.

    python -m helpers.instruction_experiments baselines   # copying the input, family by family
    python -m helpers.instruction_experiments settings    # masked, unmasked and LoRA, 3 seeds each

One run is ``python -m helpers.finetune_instructions`` with the flags below, in its own folder
under --out (model.safetensors, results.json, and for LoRA adapters.safetensors); a run whose
results.json is there already is read, not run again, so an interrupted command resumes and
``--settings`` can split the runs between processes. Every setting is run once per seed
(--seeds, default 0 1 2), and the results of all runs, with each run's scores by family and its
loss curve, go into one JSON file under data/results/ with the mean and spread (the sample
standard deviation) of each setting.
"""

import argparse
import json
from pathlib import Path

from helpers.classifier_experiments import folder_name, mean_and_spread
from helpers.corpora.instruction_data import HANDWRITTEN_FILES, TEST_FILE, read_instructions
from helpers.finetune_instructions import main as finetune
from helpers.finetune_instructions import scores_by_family
from helpers.paths import DATA_DIR

RESULTS_DIR = DATA_DIR / "results"
SETTINGS = {
    "all layers, prompt masked": ("--mask-prompt",),
    "all layers, prompt not masked": (),
    "LoRA rank 8, prompt masked": ("--mask-prompt", "--lora-rank", "8", "--lr", "5e-3"),
}
SCORES = ("exact_match", "overlap")
SPLITS = ("test", *HANDWRITTEN_FILES)


def build_parser() -> argparse.ArgumentParser:
    """The experiment to run, which settings and seeds, and where runs and results go."""
    p = argparse.ArgumentParser(
        prog="python -m helpers.instruction_experiments", description=__doc__.split("\n")[0]
    )
    p.add_argument("experiment", choices=["baselines", "settings"])
    p.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2], help="seeds (default: 0 1 2)")
    p.add_argument(
        "--settings",
        nargs="+",
        choices=list(SETTINGS),
        default=list(SETTINGS),
        help="run only these settings (default: all); the results file is written only when "
        "every setting is asked for",
    )
    p.add_argument(
        "--out",
        type=Path,
        default=Path("runs/instruction_experiments"),
        help="folder for one subfolder per run (default: %(default)s)",
    )
    p.add_argument(
        "--results",
        type=Path,
        default=None,
        help="the JSON file to write (default: data/results/instruct_<experiment>.json)",
    )
    return p


def run_once(out: Path, flags: tuple[str, ...]) -> dict:
    """One finetuning run, or its results.json if an earlier command finished it."""
    done = out / "results.json"
    if done.is_file():
        return json.loads(done.read_text())
    out.mkdir(parents=True, exist_ok=True)
    argv = ["--out", str(out / "model.safetensors"), "--results", str(done), *flags]
    if "--lora-rank" in flags:
        argv += ["--adapters-out", str(out / "adapters.safetensors")]
    return finetune(argv)


def summarise(rows: list[dict]) -> list[dict]:
    """One line per setting: mean and spread of test and hand-written scores over its seeds."""
    settings: dict[str, list[dict]] = {}
    for row in rows:
        settings.setdefault(row["setting"], []).append(row)
    return [
        {
            "setting": setting,
            "seeds": [row["seed"] for row in group],
            **{
                f"{split}_{score}": mean_and_spread([row[split][score] for row in group])
                for split in SPLITS
                for score in SCORES
            },
        }
        for setting, group in settings.items()
    ]


def run_settings(args: argparse.Namespace) -> dict | None:
    """Every chosen setting once per seed; the summary only when all settings were run."""
    rows = []
    for setting in args.settings:
        for seed in args.seeds:
            out = args.out / folder_name(setting) / f"seed{seed}"
            results = run_once(out, (*SETTINGS[setting], "--seed", str(seed)))
            rows.append({"setting": setting, "seed": seed, "flags": SETTINGS[setting], **results})
    if set(args.settings) != set(SETTINGS):
        return None
    return {"summary": summarise(rows), "runs": rows}


def run_baselines(args: argparse.Namespace) -> dict:
    """Copying the input as the answer: what a model that learned nothing but to echo scores."""
    return {
        "copy_input": {
            name: scores_by_family(entries, [entry["input"] for entry in entries])
            for name, entries in (
                ("test", read_instructions(TEST_FILE)),
                *((name, read_instructions(file)) for name, file in HANDWRITTEN_FILES.items()),
            )
        }
    }


EXPERIMENTS = {"baselines": run_baselines, "settings": run_settings}


def main(argv: list[str] | None = None) -> dict | None:
    args = build_parser().parse_args(argv)
    results = EXPERIMENTS[args.experiment](args)
    if results is None:
        print("ran the chosen settings; run every setting to write the results file")
        return None
    path = args.results or RESULTS_DIR / f"instruct_{args.experiment}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=1) + "\n")
    print(f"wrote {path}")
    return results


if __name__ == "__main__":
    main()
