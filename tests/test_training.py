"""helpers.training: the loss by hand, the schedule, the optimizer groups, exact resumes."""

import math

import pytest
import torch
import torch.nn.functional as F

from helpers.checkpoints import load_checkpoint, save_checkpoint, set_rng_state
from helpers.data import GPTDataset
from helpers.gpt import GPTConfig, GPTModel
from helpers.training import (
    build_optimizer,
    calc_loss_batch,
    calc_loss_loader,
    cosine_lr,
    epoch_loader,
    train_model,
)

CFG = GPTConfig(
    vocab_size=50, context_length=8, emb_dim=16, num_heads=2, num_layers=2, drop_rate=0.1
)


def toy_dataset(num_tokens: int = 400, seed: int = 0) -> GPTDataset:
    g = torch.Generator().manual_seed(seed)
    ids = torch.randint(0, CFG.vocab_size, (num_tokens,), generator=g).tolist()
    return GPTDataset(ids, CFG.context_length, stride=CFG.context_length)


def test_loss_is_the_mean_negative_log_probability_of_the_targets():
    torch.manual_seed(0)
    model = GPTModel(CFG).eval()
    inputs = torch.randint(0, 50, (3, 8))
    targets = torch.randint(0, 50, (3, 8))
    with torch.no_grad():
        loss = calc_loss_batch(inputs, targets, model, "cpu")
        probas = torch.softmax(model(inputs), dim=-1)
    target_probas = probas.gather(-1, targets.unsqueeze(-1))  # (batch_size, num_tokens, 1)
    by_hand = -torch.log(target_probas).mean()
    assert torch.allclose(loss, by_hand, atol=1e-6)
    with torch.no_grad():
        assert torch.allclose(loss, F.cross_entropy(model(inputs).transpose(1, 2), targets))


def test_untrained_loss_is_near_log_vocab_size():
    torch.manual_seed(0)
    model = GPTModel(CFG).eval()
    loader = epoch_loader(toy_dataset(), 4, seed=0)
    with torch.no_grad():
        assert abs(calc_loss_loader(loader, model, "cpu") - math.log(CFG.vocab_size)) < 0.1


def test_empty_loader_raises():
    with pytest.raises(ValueError, match="no batches"):
        calc_loss_loader([], torch.nn.Identity(), "cpu")


def test_a_few_steps_lower_the_loss_on_a_fixed_batch():
    torch.manual_seed(0)
    model = GPTModel(CFG)
    batch = next(iter(epoch_loader(toy_dataset(), 4, seed=0)))
    optimizer = build_optimizer(model, lr=3e-3)
    history = train_model(
        model, [batch], [batch], optimizer, "cpu", max_steps=20, eval_every=20, eval_iter=1
    )
    assert history.step_losses[-1] < history.step_losses[0] - 0.5
    assert history.eval_steps == [20]


def test_cosine_schedule_warms_up_then_decays_to_min_lr():
    kw = dict(max_lr=1.0, min_lr=0.1, warmup_steps=10, max_steps=110)
    assert cosine_lr(0, **kw) == pytest.approx(0.1)
    assert cosine_lr(9, **kw) == pytest.approx(1.0)
    assert cosine_lr(60, **kw) == pytest.approx(0.55)  # half way: the mean of max and min
    assert cosine_lr(110, **kw) == pytest.approx(0.1)
    assert cosine_lr(500, **kw) == pytest.approx(0.1)
    values = [cosine_lr(s, **kw) for s in range(10, 111)]
    assert all(a >= b for a, b in zip(values, values[1:], strict=False))


def test_weight_decay_only_on_matrices_and_tied_matrix_once():
    model = GPTModel(CFG)
    decay, no_decay = build_optimizer(model, lr=1e-3, weight_decay=0.1).param_groups
    assert decay["weight_decay"] == 0.1 and no_decay["weight_decay"] == 0.0
    assert all(p.dim() >= 2 for p in decay["params"])
    assert all(p.dim() == 1 for p in no_decay["params"])
    counted = sum(p.numel() for g in (decay, no_decay) for p in g["params"])
    assert counted == sum(p.numel() for p in model.parameters())  # the tied head counted once


def test_gradient_clipping_caps_the_norm():
    torch.manual_seed(0)
    model = GPTModel(CFG)
    batch = next(iter(epoch_loader(toy_dataset(), 4, seed=0)))
    optimizer = build_optimizer(model, lr=1e-3)
    train_model(
        model,
        [batch],
        [batch],
        optimizer,
        "cpu",
        max_steps=1,
        eval_every=1,
        eval_iter=1,
        grad_clip=0.01,
    )
    norm = torch.nn.utils.get_total_norm([p.grad for p in model.parameters()])
    assert norm <= 0.01 + 1e-6


def run_steps(model, optimizer, start, stop):
    loader = epoch_loader(toy_dataset(), 4, seed=5)
    return train_model(
        model,
        loader,
        loader,
        optimizer,
        "cpu",
        max_steps=stop,
        eval_every=3,
        eval_iter=2,
        start_step=start,
        lr_schedule=lambda s: cosine_lr(s, max_lr=1e-3, min_lr=1e-4, warmup_steps=2, max_steps=30),
    )


def test_resume_from_a_checkpoint_equals_an_uninterrupted_run_bit_for_bit(tmp_path):
    # 30 steps over 12 batches an epoch: the resume point (step 15) falls inside epoch 2.
    torch.manual_seed(1)
    full_model = GPTModel(CFG)
    optimizer = build_optimizer(full_model, lr=1e-3)
    full = run_steps(full_model, optimizer, 0, 30)

    torch.manual_seed(1)
    model = GPTModel(CFG)
    optimizer = build_optimizer(model, lr=1e-3)
    run_steps(model, optimizer, 0, 15)
    save_checkpoint(tmp_path / "ckpt.pt", model, optimizer, step=15)
    torch.manual_seed(999)  # a new session: the RNG is somewhere else

    resumed_model = GPTModel(CFG)
    optimizer = build_optimizer(resumed_model, lr=1e-3)
    resumed_model, ckpt = load_checkpoint(tmp_path / "ckpt.pt", resumed_model, optimizer)
    set_rng_state(ckpt["rng"])
    second = run_steps(resumed_model, optimizer, ckpt["step"], 30)
    assert second.step_losses == full.step_losses[15:]  # exact, with dropout on
    for a, b in zip(full_model.parameters(), resumed_model.parameters(), strict=True):
        assert torch.equal(a, b)


def test_train_model_rejects_bad_step_counts():
    with pytest.raises(ValueError, match="max_steps"):
        train_model(torch.nn.Linear(1, 1), [], [], None, "cpu", max_steps=0, eval_every=1)
