"""What a pretrained course model learned, measured: ``python -m helpers.report_pretrained``.

    python -m helpers.report_pretrained --model data/checkpoints/course_gpt.safetensors

Writes one JSON file (default ``data/results/course_gpt.json``) that Chapter 5 reads:

- bits per byte on the hand-written stories (``heldout_stories.txt``, never used to pick a step),
  the hand-written validation stories, and the generators' own validation splits;
- a continuation of every hand-written prompt (``heldout_prompts.txt``), greedy and sampled with
  a fixed seed, each with its novelty: the share of its 8-word spans found nowhere in the training
  text (the notebook regenerates the samples and checks that they match);
- the novelty of the hand-written stories themselves, as the reference for text nobody copied.

Novelty needs every 8-word span of the 36 MB training text in memory (about a minute and a few
GB here), which is why a script computes it once instead of the notebook.
"""

import argparse
import json
from pathlib import Path

import torch

from helpers.checkpoints import COURSE_GPT, load_course_model
from helpers.cli import existing_file, positive_int
from helpers.corpora import tales
from helpers.evaluation import STORY_SEPARATOR, bits_per_byte, word_spans
from helpers.generation import generate
from helpers.paths import DATA_DIR

HANDWRITTEN = DATA_DIR / "heldout_stories.txt"
MEASURED = (
    HANDWRITTEN,
    DATA_DIR / "heldout_val_stories.txt",
    DATA_DIR / "stories_val.txt",
    DATA_DIR / "tales_val.txt",
)
# what a sampled continuation uses; the notebook passes the same
SAMPLING = {"temperature": 0.8, "top_k": 40}


def continuations(model, tokenizer, prompts: list[str], max_new_tokens: int, seed: int) -> list:
    """Each prompt continued greedily and by sampling (its own seeded generator)."""
    rows = []
    for prompt in prompts:
        ids = torch.tensor([tokenizer.encode(prompt)])
        greedy = generate(model, ids, max_new_tokens, eos_id=tokenizer.eot_id)
        generator = torch.Generator().manual_seed(seed)
        sampled = generate(
            model, ids, max_new_tokens, eos_id=tokenizer.eot_id, generator=generator, **SAMPLING
        )
        rows.append(
            {
                "prompt": prompt,
                "greedy": tokenizer.decode(greedy[0, ids.shape[1] :].tolist()),
                "sampled": tokenizer.decode(sampled[0, ids.shape[1] :].tolist()),
            }
        )
    return rows


def share_new(text: str, seen: set, n: int = 8) -> float | None:
    """Share of text's n-word spans not in seen (None when text has fewer than n words)."""
    spans = word_spans(text.replace("<|endoftext|>", " "), n)
    return round(sum(span not in seen for span in spans) / len(spans), 4) if spans else None


def main(argv: list[str] | None = None) -> dict:
    p = argparse.ArgumentParser(
        prog="python -m helpers.report_pretrained", description=__doc__.split("\n")[0]
    )
    p.add_argument(
        "--model",
        type=existing_file,
        default=COURSE_GPT,
        help="the weights to measure (default: the shipped course model)",
    )
    p.add_argument(
        "--train-data",
        type=Path,
        nargs="+",
        default=list(tales.COURSE_TRAINING_FILES),
        help="the text it was trained on, for novelty (default: the grammar and template stories)",
    )
    p.add_argument(
        "--max-new-tokens",
        type=positive_int,
        default=60,
        help="tokens per continuation (default: 60)",
    )
    p.add_argument(
        "--measure",
        type=existing_file,
        nargs="+",
        default=list(MEASURED),
        help="texts to measure in bits per byte (default: the hand-written stories, both sets, "
        "and the generators' validation splits)",
    )
    p.add_argument("--seed", type=int, default=123, help="seed of the sampled ones (default: 123)")
    p.add_argument(
        "--out",
        type=Path,
        default=DATA_DIR / "results" / "course_gpt.json",
        help="where the JSON is written (default: %(default)s)",
    )
    args = p.parse_args(argv)
    tales.build_if_missing(args.train_data)
    for path in args.train_data:
        if not path.is_file():
            p.error(f"argument --train-data: no file {path}")
    model, tokenizer = load_course_model(args.model)
    torch.manual_seed(args.seed)
    report = {
        "model": args.model.name,
        "bits_per_byte": {
            path.name: round(bits_per_byte(model, tokenizer, path.read_text("utf-8")), 4)
            for path in args.measure
        },
        "sampling": SAMPLING,
        "seed": args.seed,
        "max_new_tokens": args.max_new_tokens,
    }
    prompts = (DATA_DIR / "heldout_prompts.txt").read_text("utf-8").splitlines()
    rows = continuations(model, tokenizer, prompts, args.max_new_tokens, args.seed)
    training_text = STORY_SEPARATOR.join(p.read_text("utf-8") for p in args.train_data)
    seen = set(word_spans(training_text.replace("<|endoftext|>", " ")))
    for row in rows:
        # the generated words only: the prompt was written by hand
        row["greedy_novelty"] = share_new(row["greedy"], seen)
        row["sampled_novelty"] = share_new(row["sampled"], seen)
    report["continuations"] = rows
    report["handwritten_novelty"] = share_new(HANDWRITTEN.read_text("utf-8"), seen)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print(
        json.dumps(report["bits_per_byte"]), "hand-written novelty", report["handwritten_novelty"]
    )
    return report


if __name__ == "__main__":
    main()
