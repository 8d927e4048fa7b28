"""The code a notebook teaches is the same code helpers/ holds: no silent drift.

Each listed definition must appear in the notebook and have the same syntax tree as in
helpers/ (docstrings included; only formatting may differ). Any other notebook definition that
shares a name with a helper must match it too.
"""

import ast

import pytest
from notebook_tools import NOTEBOOKS, module_definitions, notebook_definitions

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
}


def _same(a: ast.AST, b: ast.AST) -> bool:
    return ast.dump(a, include_attributes=False) == ast.dump(b, include_attributes=False)


@pytest.mark.parametrize("notebook,module", [(n, m) for n, mods in TAUGHT.items() for m in mods])
def test_taught_definitions_match_helpers(notebook, module):
    in_notebook = notebook_definitions(NOTEBOOKS_DIR / notebook)
    in_module = module_definitions(module)
    for name in TAUGHT[notebook][module]:
        assert name in in_notebook, f"{notebook} no longer defines {name}"
        assert _same(in_notebook[name], in_module[name]), (
            f"{name} in {notebook} differs from {module}: copy the final version across"
        )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_notebook_definition_shadows_a_different_helper(path):
    modules = {m for mods in TAUGHT.values() for m in mods}
    in_notebook = notebook_definitions(path)
    for module in sorted(modules):
        for name, node in module_definitions(module).items():
            if name in in_notebook and not name.isupper():
                assert _same(in_notebook[name], node), (
                    f"{path.name} redefines {module}.{name} differently"
                )


def test_every_notebook_is_listed():
    assert set(TAUGHT) <= {p.name for p in NOTEBOOKS}
