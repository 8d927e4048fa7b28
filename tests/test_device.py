"""helpers.device.get_device and the training script's --device choice, with the hardware faked."""

import pytest
import torch

from helpers.device import get_device
from helpers.pretrain import _pick_device


@pytest.mark.parametrize(
    "cuda,mps,expected", [(True, True, "cuda"), (False, True, "mps"), (False, False, "cpu")]
)
def test_get_device_prefers_cuda_then_mps_then_cpu(monkeypatch, cuda, mps, expected):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: cuda)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: mps)
    assert get_device().type == expected
    assert get_device(prefer_cpu=True).type == "cpu"


def test_the_script_refuses_a_device_that_is_not_there(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: False)
    with pytest.raises(ValueError, match="no CUDA GPU"):
        _pick_device("cuda")
    with pytest.raises(ValueError, match="no Apple MPS"):
        _pick_device("mps")
    assert _pick_device("auto").type == "cpu"
    assert _pick_device("cpu").type == "cpu"
