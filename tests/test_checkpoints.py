"""helpers.checkpoints and helpers.compact_vocab: round trips, atomic saves, clear errors."""

import hashlib
import pickle

import pytest
import torch
from safetensors.torch import load_file

from helpers.checkpoints import (
    COURSE_GPT,
    COURSE_MODEL,
    SHIPPED_SHA256,
    load_checkpoint,
    load_course_model,
    load_weights,
    rng_state,
    save_checkpoint,
    save_weights,
    set_rng_state,
    weights_metadata,
)
from helpers.classification import CLASSIFIER, load_classifier
from helpers.compact_vocab import CompactTokenizer
from helpers.gpt import GPTConfig, GPTModel
from helpers.lora import apply_lora
from helpers.tokenizers import gpt2_encoding
from helpers.training import build_optimizer

CFG = GPTConfig(vocab_size=40, context_length=8, emb_dim=16, num_heads=2, num_layers=1)


def trained_pair():
    torch.manual_seed(0)
    model = GPTModel(CFG)
    optimizer = build_optimizer(model, lr=1e-2)
    model(torch.randint(0, 40, (2, 8))).sum().backward()
    optimizer.step()
    return model, optimizer


def test_checkpoint_round_trip_rebuilds_the_model_and_keeps_the_tie(tmp_path):
    model, optimizer = trained_pair()
    save_checkpoint(tmp_path / "c.pt", model, optimizer, step=7, extra={"note": "hi"})
    loaded, ckpt = load_checkpoint(tmp_path / "c.pt")  # model=None: built from the config
    assert ckpt["step"] == 7 and ckpt["extra"] == {"note": "hi"}
    assert loaded.cfg == CFG
    assert loaded.out_head.weight is loaded.embedding.tok_emb.weight
    for a, b in zip(model.state_dict().values(), loaded.state_dict().values(), strict=True):
        assert torch.equal(a, b)
    fresh = build_optimizer(loaded, lr=1e-2)
    load_checkpoint(tmp_path / "c.pt", loaded, fresh)
    assert fresh.state_dict()["state"][0]["step"] == optimizer.state_dict()["state"][0]["step"]


def test_checkpoint_is_readable_with_weights_only(tmp_path):
    model, optimizer = trained_pair()
    save_checkpoint(tmp_path / "c.pt", model, optimizer, step=1)
    assert torch.load(tmp_path / "c.pt", weights_only=True)["config"]["emb_dim"] == 16


def test_rng_state_round_trip():
    state = rng_state()
    first = torch.rand(3)
    set_rng_state(state)
    assert torch.equal(torch.rand(3), first)


def test_a_crash_while_saving_leaves_the_previous_checkpoint(tmp_path, monkeypatch):
    model, optimizer = trained_pair()
    path = save_checkpoint(tmp_path / "c.pt", model, optimizer, step=1)
    before = path.read_bytes()

    def crash(obj, f, *args, **kwargs):
        with open(f, "wb") as handle:
            handle.write(b"half a file")
        raise KeyboardInterrupt

    monkeypatch.setattr(torch, "save", crash)
    with pytest.raises(KeyboardInterrupt):
        save_checkpoint(path, model, optimizer, step=2)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.pt"]  # no temporary left over


def test_missing_corrupt_and_unsafe_files_raise_clear_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="no checkpoint"):
        load_checkpoint(tmp_path / "none.pt")
    (tmp_path / "bad.pt").write_bytes(b"not a checkpoint at all")
    with pytest.raises(ValueError, match="not a readable checkpoint"):
        load_checkpoint(tmp_path / "bad.pt")

    class Payload:
        def __reduce__(self):
            return (print, ("this would run on load",))

    with open(tmp_path / "evil.pt", "wb") as f:
        pickle.dump({"model": Payload()}, f, protocol=2)
    with pytest.raises(ValueError, match="not a readable checkpoint"):
        load_checkpoint(tmp_path / "evil.pt")
    torch.save({"just": torch.zeros(1)}, tmp_path / "other.pt")
    with pytest.raises(ValueError, match="not a checkpoint written by save_checkpoint"):
        load_checkpoint(tmp_path / "other.pt")


def test_a_checkpoint_of_another_size_names_the_differing_fields(tmp_path):
    model, optimizer = trained_pair()
    save_checkpoint(tmp_path / "c.pt", model, optimizer, step=1)
    other = GPTModel(
        GPTConfig(vocab_size=40, context_length=8, emb_dim=32, num_heads=2, num_layers=2)
    )
    with pytest.raises(ValueError, match="emb_dim: checkpoint 16, model 32.*num_layers"):
        load_checkpoint(tmp_path / "c.pt", other)
    save_checkpoint(tmp_path / "m.pt", model, step=1)
    with pytest.raises(ValueError, match="no optimizer state"):
        load_checkpoint(tmp_path / "m.pt", model, optimizer)


@pytest.mark.parametrize("tie", [True, False])
def test_safetensors_weights_round_trip(tmp_path, tie):
    cfg = GPTConfig(
        vocab_size=40, context_length=8, emb_dim=16, num_heads=2, num_layers=1, tie_weights=tie
    )
    torch.manual_seed(1)
    model = GPTModel(cfg)
    save_weights(tmp_path / "w.safetensors", model, metadata={"val_loss": 1.5})
    loaded = load_weights(tmp_path / "w.safetensors")
    assert loaded.cfg == cfg
    assert (loaded.out_head.weight is loaded.embedding.tok_emb.weight) == tie
    ids = torch.randint(0, 40, (2, 8))
    with torch.no_grad():
        assert torch.equal(model.eval()(ids), loaded.eval()(ids))
    assert weights_metadata(tmp_path / "w.safetensors")["val_loss"] == "1.5"


def test_load_weights_errors(tmp_path):
    with pytest.raises(FileNotFoundError):
        load_weights(tmp_path / "none.safetensors")
    from safetensors.torch import save_file

    save_file({"x": torch.zeros(1)}, tmp_path / "plain.safetensors")
    with pytest.raises(ValueError, match="no model config"):
        load_weights(tmp_path / "plain.safetensors")


def test_compact_tokenizer_round_trips_any_text_and_maps_back_to_gpt2():
    base = gpt2_encoding()
    tokenizer = CompactTokenizer.from_text("the cat sat on the mat", base)
    assert tokenizer.n_vocab == 256 + 1 + len(set(base.encode("the cat sat on the mat")))
    for text in ["the cat", "an unseen word: quillwort", "héllo 🌧️ 雨", ""]:
        ids = tokenizer.encode(text)
        assert all(0 <= i < tokenizer.n_vocab for i in ids)
        assert tokenizer.decode(ids) == text
    ids = tokenizer.encode("the cat")
    assert tokenizer.to_gpt2(ids) == base.encode("the cat")  # seen text: GPT-2's own ids
    eot = tokenizer.encode("<|endoftext|>", allowed_special={"<|endoftext|>"})
    assert eot == [tokenizer.eot_id]
    with pytest.raises(ValueError, match="disallowed special token"):
        tokenizer.encode("<|endoftext|>")


@pytest.mark.parametrize("name", sorted(SHIPPED_SHA256))
def test_every_shipped_weights_file_has_its_recorded_sha256_and_loads(name):
    path = COURSE_MODEL.parent / name
    assert hashlib.sha256(path.read_bytes()).hexdigest() == SHIPPED_SHA256[name]
    if name == "instruct_lora_adapters.safetensors":  # adapters: they load onto the course model
        adapters = load_file(path)
        model = apply_lora(load_course_model(COURSE_GPT)[0], rank=8, alpha=16)
        assert model.load_state_dict(adapters, strict=False).unexpected_keys == []
        assert len(adapters) == 48 and all(min(t.shape) == 8 for t in adapters.values())
        return
    if name == CLASSIFIER.name:  # a classifier, not a language model: its own loader
        model, tokenizer = load_classifier(path)
        assert model.gpt.out_head.out_features == 2
        model = model.gpt
    else:
        model, tokenizer = load_course_model(path)
    # the template-only model has its own vocabulary; every other file is the course model's
    expected_vocab = 2_412 if name == COURSE_MODEL.name else 5_989
    assert model.cfg.vocab_size == tokenizer.n_vocab == expected_vocab


def test_a_changed_shipped_file_is_refused_and_a_copy_elsewhere_is_not_checked(
    tmp_path, monkeypatch
):
    monkeypatch.setitem(SHIPPED_SHA256, COURSE_MODEL.name, "0" * 64)
    with pytest.raises(ValueError, match="has sha256 .* expected 0{64}: restore it with git"):
        load_course_model()
    copy = tmp_path / COURSE_MODEL.name
    copy.write_bytes(COURSE_MODEL.read_bytes())
    model, _ = load_course_model(copy)  # your own file: no recorded hash to check
    assert model.cfg.num_layers == 4
