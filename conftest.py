"""Test settings shared by pytest and the notebook regeneration script (.ci/regenerate).

Kernels started by nbval inherit this environment, so stored outputs and test runs agree.
"""

import os

NOTEBOOK_ENV = {
    "PYTHONHASHSEED": "0",  # sets of strings print in the same order every run
    "OMP_NUM_THREADS": "2",  # the last digits of big reductions depend on the thread count
    "MKL_NUM_THREADS": "2",
    "ATEN_CPU_CAPABILITY": "avx2",  # the CPU instruction set moves the last digits of training
    "TQDM_DISABLE": "1",  # progress bars print rates that change every run
    "TOKENIZERS_PARALLELISM": "false",
    "HF_HUB_OFFLINE": "1",  # nothing is ever downloaded from a model hub
    "TRANSFORMERS_OFFLINE": "1",
    "TRANSFORMERS_VERBOSITY": "error",
}

os.environ.update(NOTEBOOK_ENV)

try:  # property-based tests draw the same examples on every run, so CI never flakes
    from hypothesis import settings

    settings.register_profile("course", derandomize=True, deadline=None)
    settings.load_profile("course")
except ImportError:  # hypothesis is a test requirement only
    pass
