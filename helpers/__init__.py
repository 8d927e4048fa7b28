"""Reusable code of the course: one module per chapter, imported by every later notebook.

Each module holds the final version of what a chapter's notebook builds step by step.

- ``paths``, ``device``: where the course's files are; which device to compute on
- ``tokenizers``: text to token ids, by regex and by GPT-2's BPE (Chapter 1)
- ``data``: the course corpus and the sliding-window ``create_dataloader`` (Chapter 1)
- ``embeddings``: token and position embeddings, ``InputEmbedding`` (Chapter 2)
- ``attention``: self-attention up to GPT-2's ``MultiHeadAttention`` (Chapter 3)
- ``gpt``: ``GPTConfig`` and ``GPTModel``, GPT-2 block by block, greedy generation (Chapter 4)
- ``weights``: loading GPT-2 weights saved in Hugging Face's format (Chapter 4)
- ``bpe``: byte pair encoding from scratch, exactly GPT-2's (bonus chapter)
"""
