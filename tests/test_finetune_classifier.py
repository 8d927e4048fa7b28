"""python -m helpers.finetune_classifier: tiny runs on the real messages, and load_classifier."""

import csv
import json

import pytest
import torch

import helpers.classification
from helpers.checkpoints import load_weights, save_weights, weights_metadata
from helpers.classification import (
    calc_accuracy_loader,
    classify,
    collate_classification,
    load_classifier,
)
from helpers.corpora.messages import TEST_FILE, read_messages
from helpers.finetune_classifier import (
    DEFAULT_EPOCHS,
    LOG_COLUMNS,
    RunLog,
    build_parser,
    main,
    make_loaders,
    parse_args,
    run_length,
    save_classifier,
    starting_classifier,
)
from helpers.gpt import GPTModel
from helpers.lora import LoRALinear
from helpers.paths import DATA_DIR
from helpers.training import TrainingHistory

TINY = ["--train-size", "32", "--batch-size", "8", "--max-steps", "6", "--eval-every", "2"]
TEXTS = [
    "The glass is falling fast. Bring the boats in.",
    "The sea will be calm and the sky clear all day.",
    "No storm is coming this evening; the wind has dropped.",
    "The calm will not last past lunch.",
]


@pytest.fixture(scope="module")
def base(tiny_base):
    """The tiny stand-in for the course model that tests/conftest.py saves."""
    return tiny_base


def flags(base, out, *extra) -> list[str]:
    return ["--base", str(base), "--out", str(out), "--device", "cpu", *TINY, *extra]


@pytest.fixture(scope="module")
def run(base, tmp_path_factory):
    """One tiny run: its folder and results."""
    out = tmp_path_factory.mktemp("run")
    return out, main(flags(base, out))


def read_log(out) -> list[dict]:
    with (out / "log.csv").open() as f:
        return list(csv.DictReader(f))


def test_a_tiny_run_writes_the_log_the_weights_and_the_results(run, base):
    out, results = run
    assert read_log(out)[0].keys() == set(LOG_COLUMNS)
    assert [int(row["step"]) for row in read_log(out)] == [2, 4, 6]
    assert json.loads((out / "results.json").read_text()) == results
    assert set(results) == {
        *("test_accuracy", "handwritten_dev_accuracy", "handwritten_test_accuracy"),
        *("val_accuracy", "best_step", "by_group"),
        *("curve", "trainable_parameters", "args"),
    }
    assert set(results["curve"]) == {"steps", "train_losses", "val_losses", "val_accuracies"}
    assert results["curve"]["steps"] == [2, 4, 6]
    assert results["args"]["train_size"] == 32 and results["args"]["trainable"] == "all"
    meta = weights_metadata(out / "best.safetensors")
    assert meta["gpt2_ids"] == weights_metadata(base)["gpt2_ids"]
    assert (meta["read"], meta["num_classes"]) == ("last_real", "2")
    assert json.loads(meta["args"])["train_size"] == 32
    assert int(meta["best_step"]) == results["best_step"]


def test_the_test_accuracy_is_split_by_how_the_messages_were_made(run):
    groups = run[1]["by_group"]
    assert groups["negated"]["messages"] + groups["plain"]["messages"] == 400
    assert groups["test_only_words"]["messages"] + groups["no_test_only_words"]["messages"] == 400
    assert groups["negated"]["keyword_rule"] < 0.5 < groups["plain"]["keyword_rule"]
    share = groups["negated"]["messages"] * groups["negated"]["accuracy"]
    share += groups["plain"]["messages"] * groups["plain"]["accuracy"]
    assert share / 400 == pytest.approx(run[1]["test_accuracy"])


def test_the_saved_step_is_the_one_with_the_best_validation_accuracy(run, base):
    out, results = run
    rows = read_log(out)
    best = max(rows, key=lambda r: (float(r["val_accuracy"]), -float(r["val_loss"])))
    assert results["best_step"] == int(best["step"])
    assert results["val_accuracy"] == pytest.approx(float(best["val_accuracy"]), abs=1e-4)
    # The file holds that step's weights: reloaded, they score what the log says.
    model, tokenizer = load_classifier(out / "best.safetensors")
    args = parse_args(flags(base, out))
    _, val_loader, test_set = make_loaders(args, tokenizer, model.gpt.cfg.context_length)
    assert calc_accuracy_loader(val_loader, model, "cpu") == pytest.approx(
        float(best["val_accuracy"]), abs=1e-4
    )
    assert len(test_set) == len(read_messages(TEST_FILE))


def history_with(val_losses: list[float]) -> TrainingHistory:
    steps = list(range(1, len(val_losses) + 1))
    return TrainingHistory(
        eval_steps=steps,
        train_losses=[0.7] * len(steps),
        val_losses=val_losses,
        tokens_seen=steps,
        learning_rates=[1e-3] * len(steps),
    )


def test_ties_in_validation_accuracy_go_to_the_lower_validation_loss(base, tmp_path, monkeypatch):
    args = parse_args(flags(base, tmp_path))
    classifier, tokenizer = starting_classifier(args)
    accuracies = iter([0.6, 0.7, 0.7, 0.7, 0.65])
    val_losses = [0.6, 0.5, 0.4, 0.45, 0.1]  # step 3: best accuracy, and lowest loss among those
    monkeypatch.setattr(
        "helpers.finetune_classifier.calc_accuracy_loader", lambda *a, **k: next(accuracies)
    )
    log = RunLog(args, classifier, tokenizer, [], "cpu", max_steps=5)
    for step in range(1, 6):
        log.on_eval(step, history_with(val_losses[:step]))
    log.close()
    assert (log.best_step, log.best_accuracy) == (3, 0.7)
    assert weights_metadata(tmp_path / "best.safetensors")["best_step"] == "3"


@pytest.mark.parametrize("read", ["last_real", "first"])
def test_the_reloaded_classifier_classifies_as_the_model_in_memory(base, tmp_path, read):
    classifier, tokenizer = starting_classifier(parse_args(flags(base, tmp_path, "--read", read)))
    torch.manual_seed(3)
    with torch.no_grad():
        classifier.gpt.out_head.weight.normal_(0, 5)  # a head with opinions
    path = save_classifier(tmp_path / "c.safetensors", classifier, tokenizer, {})
    loaded, loaded_tokenizer = load_classifier(path)
    assert loaded_tokenizer.kept_ids == tokenizer.kept_ids
    assert (loaded.read, loaded.pad_token_id) == (classifier.read, tokenizer.eot_id)
    answers = [classify(classifier, text, tokenizer) for text in TEXTS]
    assert [classify(loaded, text, loaded_tokenizer) for text in TEXTS] == answers
    assert set(answers) <= {0, 1}
    batch = [(tokenizer.encode(text), 0) for text in TEXTS]
    inputs, _ = collate_classification(batch, tokenizer.eot_id)  # (4, longest)
    torch.testing.assert_close(loaded(inputs), classifier.eval()(inputs))


def test_lora_weights_are_saved_merged_and_the_model_in_training_keeps_its_adapters(base, tmp_path):
    args = parse_args(flags(base, tmp_path, "--lora-rank", "2"))
    classifier, tokenizer = starting_classifier(args)
    assert args.lora_alpha == 4.0  # 2 * rank
    with torch.no_grad():
        for module in classifier.modules():
            if isinstance(module, LoRALinear):
                module.B.normal_()  # as after training: the update is no longer zero
    path = save_classifier(tmp_path / "lora.safetensors", classifier, tokenizer, {})
    assert any(isinstance(m, LoRALinear) for m in classifier.modules())
    loaded, _ = load_classifier(path)
    ids = torch.tensor([tokenizer.encode(text) for text in TEXTS[3:]])
    torch.testing.assert_close(loaded(ids), classifier.eval()(ids), atol=1e-4, rtol=1e-4)


def test_a_tiny_lora_run_saves_merged_weights_that_load(base, tmp_path):
    lora = ["--lora-rank", "2", "--lr", "1e-2", "--max-steps", "3", "--eval-every", "3"]
    results = main(flags(base, tmp_path, *lora))
    model, _ = load_classifier(tmp_path / "best.safetensors")
    assert not any(isinstance(m, LoRALinear) for m in model.modules())
    start = load_weights(base)
    # LoRA leaves the embeddings alone and changes the adapted projections.
    assert torch.equal(model.gpt.embedding.tok_emb.weight, start.embedding.tok_emb.weight)
    query = model.gpt.trf_blocks[0].att.W_query.weight
    assert not torch.equal(query, start.trf_blocks[0].att.W_query.weight)
    assert results["args"]["lora_rank"] == 2 and results["args"]["trainable"] is None


def test_drop_rate_reaches_every_dropout_layer_and_only_in_training(base, tmp_path):
    classifier, tokenizer = starting_classifier(
        parse_args(flags(base, tmp_path, "--drop-rate", "0.3"))
    )
    rates = [m.p for m in classifier.modules() if isinstance(m, torch.nn.Dropout)]
    assert rates and set(rates) == {0.3}
    ids = torch.tensor([tokenizer.encode(TEXTS[0])])
    torch.manual_seed(0)
    first, second = classifier.train()(ids), classifier(ids)
    assert not torch.equal(first, second)  # dropout draws new masks in training
    torch.testing.assert_close(classifier.eval()(ids), classifier(ids))  # and none in eval


def test_random_init_starts_from_other_weights_with_the_same_head(base, tmp_path):
    pretrained, _ = starting_classifier(parse_args(flags(base, tmp_path)))
    random, _ = starting_classifier(parse_args(flags(base, tmp_path, "--init", "random")))
    again, _ = starting_classifier(parse_args(flags(base, tmp_path, "--init", "random")))
    other_seed, _ = starting_classifier(
        parse_args(flags(base, tmp_path, "--init", "random", "--seed", "5"))
    )
    emb = [m.gpt.embedding.tok_emb.weight for m in (pretrained, random, again, other_seed)]
    assert torch.equal(emb[0], load_weights(base).embedding.tok_emb.weight)
    assert not torch.equal(emb[0], emb[1])
    assert torch.equal(emb[1], emb[2]) and not torch.equal(emb[1], emb[3])
    assert torch.equal(pretrained.gpt.out_head.weight, random.gpt.out_head.weight)


def test_epochs_count_passes_over_the_training_messages_used(base, tmp_path):
    tiny = ["--train-size", "32", "--batch-size", "8", "--epochs", "3"]
    args = parse_args(["--base", str(base), "--out", str(tmp_path), *tiny])
    classifier, tokenizer = starting_classifier(args)
    train_loader, _, _ = make_loaders(args, tokenizer, classifier.gpt.cfg.context_length)
    assert len(train_loader.batch_sampler) == 32 // 8
    assert run_length(args, len(train_loader.batch_sampler)) == 3 * 4
    default = parse_args(["--base", str(base), "--out", str(tmp_path)])
    assert (default.epochs, default.max_steps) == (DEFAULT_EPOCHS, None)
    assert run_length(default, 1400 // 32) == DEFAULT_EPOCHS * 43
    steps = parse_args(flags(base, tmp_path))
    assert (steps.epochs, run_length(steps, 4)) == (None, 6)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--train-size", "0"], "argument --train-size: must be a whole number >= 1, got 0"),
        (["--train-size", "5000"], "argument --train-size: the training split has 1400"),
        (["--lr", "-1"], "argument --lr: must be a number > 0, got -1"),
        (["--weight-decay", "-0.1"], "argument --weight-decay: must be a number >= 0"),
        (["--drop-rate", "-0.1"], "argument --drop-rate: must be a number >= 0"),
        (["--drop-rate", "1"], "argument --drop-rate: must be below 1"),
        (["--batch-size", "64"], "argument --batch-size: 64 is more than the 32 training"),
        (["--eval-every", "0"], "argument --eval-every: must be a whole number >= 1, got 0"),
        (["--lora-rank", "-1"], "argument --lora-rank: must be a whole number >= 0, got -1"),
        (["--lora-alpha", "4"], "argument --lora-alpha: needs --lora-rank >= 1"),
        (["--trainable", "head", "--lora-rank", "4"], "argument --trainable: head with --lora"),
        (["--epochs", "2"], "argument --epochs: not allowed with argument --max-steps"),
        (["--read", "middle"], "argument --read: invalid choice: 'middle'"),
        (["--init", "zeros"], "argument --init: invalid choice: 'zeros'"),
        (["--device", "gpu"], "argument --device: invalid choice: 'gpu'"),
        (["--base", "no/such.safetensors"], "argument --base: no file no/such.safetensors"),
    ],
)
def test_bad_flags_are_one_line_command_line_errors(base, tmp_path, extra, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        parse_args(flags(base, tmp_path) + extra)
    assert exit_info.value.code == 2
    errors = [line for line in capsys.readouterr().err.splitlines() if "error:" in line]
    assert len(errors) == 1 and message in errors[0], errors


def test_a_base_that_is_not_a_pretrained_gpt_is_a_command_line_error(base, tmp_path, capsys):
    text_file = tmp_path / "notes.safetensors"
    text_file.write_text("not weights")
    bare_model = GPTModel(load_weights(base).cfg)
    bare = save_weights(tmp_path / "bare.safetensors", bare_model)  # no gpt2_ids
    for path, message in [(text_file, "is not a safetensors file"), (bare, "lacks gpt2_ids")]:
        with pytest.raises(SystemExit):
            parse_args(["--base", str(path), "--out", str(tmp_path / "out")])
        assert f"argument --base: {path} {message}" in capsys.readouterr().err


def test_out_that_is_a_file_is_a_command_line_error(base, tmp_path, capsys):
    (tmp_path / "taken").write_text("")
    with pytest.raises(SystemExit):
        parse_args(flags(base, tmp_path / "taken"))
    assert "argument --out: " in capsys.readouterr().err


def test_every_flag_has_a_help_text_with_its_default():
    actions = [a for a in build_parser()._actions if a.dest != "help"]
    names = {option for a in actions for option in a.option_strings}
    assert names == {
        *("--trainable", "--lora-rank", "--lora-alpha", "--read", "--lr", "--weight-decay"),
        *("--batch-size", "--max-steps", "--epochs", "--eval-every", "--seed", "--train-size"),
        *("--init", "--base", "--device", "--out", "--drop-rate"),
    }
    assert [a.option_strings for a in actions if "default" not in (a.help or "")] == []


def test_a_missing_classifier_names_the_path_and_the_command_that_makes_it(tmp_path, monkeypatch):
    assert helpers.classification.CLASSIFIER == DATA_DIR / "checkpoints" / "classifier.safetensors"
    monkeypatch.setattr(helpers.classification, "CLASSIFIER", tmp_path / "classifier.safetensors")
    with pytest.raises(FileNotFoundError, match="python -m helpers.finetune_classifier") as error:
        load_classifier()
    assert str(tmp_path / "classifier.safetensors") in str(error.value)


def test_a_language_model_is_not_loaded_as_a_classifier(base):
    with pytest.raises(ValueError, match="not a classifier saved by"):
        load_classifier(base)


def test_the_shipped_classifier_scores_what_its_results_record():
    model, tokenizer = load_classifier()  # data/checkpoints/classifier.safetensors, sha checked
    settings = json.loads((DATA_DIR / "results" / "classifier_settings.json").read_text())
    args = json.loads(weights_metadata(helpers.classification.CLASSIFIER)["args"])
    (run,) = [
        r
        for r in settings["runs"]
        if r["seed"] == args["seed"] and r["setting"] == "read the mean of real tokens"
    ]
    assert (model.read, args["epochs"], args["lr"]) == ("mean", 8, 1e-3)
    test = read_messages(TEST_FILE)
    right = sum(classify(model, text, tokenizer) == label for text, label in test)
    assert right / len(test) == pytest.approx(run["test_accuracy"])
