"""The code a notebook teaches is the same code helpers/ holds: no silent drift.

Each listed definition must appear in the notebook with the same syntax tree and the same
comments as in helpers/ (docstrings and shape comments included; only formatting may differ).
Every notebook has an entry, every helpers module is taught or listed in NOT_TAUGHT with a
reason, and any other notebook definition that shares a name with a helper must match it too.
"""

import pytest
from notebook_tools import (
    HELPER_MODULES,
    NOTEBOOKS,
    Definition,
    module_definitions,
    notebook_definitions,
)

from helpers.paths import NOTEBOOKS_DIR

TAUGHT = {
    "01_text_data.ipynb": {
        "helpers.tokenizers": [
            "TOKEN_PATTERN",
            "split_text",
            "build_vocab",
            "NO_SPACE_BEFORE",
            "NO_SPACE_AFTER",
            "UNKNOWN_TOKEN",
            "END_OF_TEXT",
            "SPECIAL_TOKEN_PATTERN",
            "join_tokens",
            "SimpleTokenizer",
        ],
        "helpers.data": ["GPTDataset", "_check_positive", "encode_text", "create_dataloader"],
    },
    "02_embeddings.ipynb": {
        "helpers.embeddings": ["sinusoidal_encoding", "check_token_ids", "InputEmbedding"],
    },
    "03_attention.ipynb": {
        "helpers.attention": [
            "SelfAttention",
            "causal_mask",
            "CausalAttention",
            "MultiHeadAttentionWrapper",
            "check_attention_input",
            "MultiHeadAttention",
        ],
    },
    "04_gpt_block.ipynb": {
        "helpers.gpt": [
            "GPTConfig",
            "GPT2_SMALL",
            "GPT2_MEDIUM",
            "GPT2_LARGE",
            "GPT2_XL",
            "GPT_TINY",
            "LayerNorm",
            "GELU",
            "FeedForward",
            "TransformerBlock",
            "GPTModel",
            "init_gpt2_weights",
            "init_residual_projections",
            "count_parameters",
            "text_to_token_ids",
            "token_ids_to_text",
            "generate_text_simple",
        ],
        "helpers.weights": ["gpt2_key_map", "hf_gpt2_config"],
    },
    "05_pretraining.ipynb": {
        "helpers.compact_vocab": ["CompactTokenizer"],
        "helpers.training": [
            "calc_loss_batch",
            "calc_loss_loader",
            "evaluate_model",
            "cosine_lr",
            "build_optimizer",
        ],
        "helpers.generation": [
            "check_sampling",
            "top_k_filter",
            "top_p_filter",
            "sample_next_token",
            "KVCache",
            "cached_attention",
            "cached_forward",
            "_next_logits",
            "generate",
        ],
        "helpers.checkpoints": ["rng_state", "set_rng_state", "_unwrap", "save_checkpoint"],
    },
    "06_classification.ipynb": {
        "helpers.ngram_classifier": [
            "ngrams",
            "build_ngram_vocab",
            "bag_of_ngrams",
            "regularised_loss",
            "fit_logistic_regression",
            "predict_labels",
        ],
        "helpers.classification": [
            "check_label",
            "encode_for_classifier",
            "ClassificationDataset",
            "collate_classification",
            "READ_POSITIONS",
            "TRAINABLE",
            "read_positions",
            "read_vectors",
            "GPTClassifier",
            "set_trainable",
            "build_classifier",
            "calc_accuracy_loader",
            "classify",
        ],
        "helpers.lora": [
            "LoRALinear",
            "check_rank",
            "DEFAULT_TARGET",
            "_replace",
            "apply_lora",
            "merge_lora",
            "count_trainable",
        ],
    },
    "07_instruction_finetuning.ipynb": {
        "helpers.instructions": [
            "RESPONSE_HEADER",
            "check_entry",
            "format_prompt",
            "format_answer",
            "InstructionDataset",
            "_check_batch",
            "collate_instructions",
            "extract_response",
            "normalize",
            "exact_match",
            "overlap_score",
            "score_responses",
            "generate_responses",
        ],
    },
    "bonus_bpe_from_scratch.ipynb": {
        "helpers.bpe": [
            "merge_pair",
            "_PairCounts",
            "bmp_ranges",
            "ABOVE_BMP",
            "gpt2_pattern_for_re",
            "bpe_merge",
            "_push_pair",
            "gpt2_byte_to_unicode",
            "CACHE_LIMIT",
            "BPETokenizer",
            "_check_loaded",
        ],
    },
}


# helpers modules that no notebook teaches line by line, and why.
NOT_TAUGHT = {
    "helpers.paths": "where data/ and notebooks/ are: plumbing, not a lesson",
    "helpers.device": "picking CUDA, MPS or the CPU: plumbing, not a lesson",
    "helpers.report_pretrained": "the command-line script that measures a pretrained model for "
    "Chapter 5's stored results (bits per byte, samples, novelty)",
    "helpers.cli": "flag types shared by the training scripts: plumbing, not a lesson",
    "helpers.corpora": "the package of the data generators: data, not a lesson",
    "helpers.corpora.stories": "the seeded generator of Chapter 5's training text: data",
    "helpers.corpora.messages": "the seeded generator of Chapter 6's labelled messages: data",
    "helpers.corpora.instruction_data": "the seeded generator of Chapter 7's instructions: data",
    "helpers.finetune_classifier": "Chapter 6's training recipe as a command-line script",
    "helpers.classifier_experiments": "the command-line script that runs Chapter 6's "
    "comparisons over three seeds and its baselines; Chapter 6 loads its results",
    "helpers.finetune_instructions": "the command-line script that made Chapter 7's "
    "checkpoints with its helpers; the notebook shows its commands",
    "helpers.instruction_experiments": "the command-line script that runs Chapter 7's settings "
    "over three seeds and the copy baseline; Chapter 7 loads its results",
    "helpers.pretrain": "the command-line script around Chapter 5's helpers; the notebook shows "
    "its commands instead of retyping argument parsing",
    "helpers.corpora.tales": "the seeded grammar generator of a larger pretraining text: data",
    "helpers.size_sweep": "the command-line script that trains several sizes at equal compute "
    "with helpers.pretrain; not yet shown in a notebook",
    "helpers.evaluation": "bits per byte and novelty, tested in tests/test_evaluation.py; not yet "
    "shown in a notebook",
    "helpers.ngram_baseline": "the command-line script of a counting baseline for Chapter 5 "
    "(byte n-grams, Witten-Bell), tested in tests/test_ngram_baseline.py; not yet in a notebook",
    "helpers.exercises": "the checks the exercises' your-turn cells call: notebooks import and "
    "call check_exercise, they do not teach its code; tested in tests/test_exercises.py",
    "helpers.exercises.checking": "the registry, judging and report every exercise check "
    "shares: what check_exercise runs, not a lesson",
    **{
        f"helpers.exercises.{name}": "one chapter's exercise checks, behind check_exercise; "
        "tested in tests/test_exercises.py"
        for name in [f"chapter{n}" for n in range(1, 8)] + ["bpe"]
    },
}


def _describe(a: Definition, b: Definition) -> str:
    if a.tree != b.tree:
        return "the code differs"
    return f"the comments differ: {sorted(set(a.comments) ^ set(b.comments))[:4]}"


def test_every_notebook_is_listed():
    on_disk = {p.name for p in NOTEBOOKS}
    assert set(TAUGHT) == on_disk, (
        f"TAUGHT lists {sorted(set(TAUGHT) - on_disk)} that do not exist and misses "
        f"{sorted(on_disk - set(TAUGHT))}: give every notebook an entry (an empty one if it "
        "teaches no helper)"
    )


def test_every_helper_module_is_taught_or_explained():
    taught = {m for mods in TAUGHT.values() for m in mods}
    assert not taught & set(NOT_TAUGHT), f"both taught and not taught: {taught & set(NOT_TAUGHT)}"
    missing = set(HELPER_MODULES) - taught - set(NOT_TAUGHT)
    assert not missing, f"no notebook teaches {sorted(missing)}: list it in TAUGHT or NOT_TAUGHT"
    unknown = (taught | set(NOT_TAUGHT)) - set(HELPER_MODULES)
    assert not unknown, f"listed modules that do not exist: {sorted(unknown)}"


@pytest.mark.parametrize("notebook,module", [(n, m) for n, mods in TAUGHT.items() for m in mods])
def test_taught_definitions_match_helpers(notebook, module):
    in_notebook = notebook_definitions(NOTEBOOKS_DIR / notebook)
    in_module = module_definitions(module)
    for name in TAUGHT[notebook][module]:
        assert name in in_module, f"{module} has no top-level definition {name!r} (see TAUGHT)"
        assert name in in_notebook, f"{notebook} no longer defines {name}"
        why = _describe(in_notebook[name], in_module[name])
        assert in_notebook[name] == in_module[name], (
            f"{name} in {notebook} differs from {module} ({why}): copy the final version across"
        )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_notebook_definition_shadows_a_different_helper(path):
    in_notebook = notebook_definitions(path)
    for module in HELPER_MODULES:
        for name, definition in module_definitions(module).items():
            if name in in_notebook and not name.isupper():
                assert in_notebook[name] == definition, (
                    f"{path.name} redefines {module}.{name} differently "
                    f"({_describe(in_notebook[name], definition)})"
                )
