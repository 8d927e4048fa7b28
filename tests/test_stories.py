"""helpers.corpora.stories: the seeded story generator and the two files it writes in data/."""

import hashlib
import random
import re

import pytest

from helpers.corpora.stories import (
    CHILDREN,
    MAX_WORDS,
    STORY_SEPARATOR,
    TRAIN_FILE,
    TRAIN_SEED,
    TRAIN_STORIES,
    VAL_FILE,
    VAL_SEED,
    VAL_STORIES,
    fill_slots,
    generate_stories,
    generate_story,
    person_words,
    split_sentences,
    split_stories,
    story_words,
    thing_words,
    with_article,
    write_corpus,
)
from helpers.paths import DATA_DIR

# data/README.md promises these; measured: 1,862 words and 18.9% of sentences.
VOCABULARY_RANGE = (1_500, 2_500)
MAX_VAL_SENTENCES_IN_TRAIN = 0.25


@pytest.fixture(scope="module")
def corpus() -> dict[str, str]:
    """Both splits, generated afresh with the arguments write_corpus uses."""
    return {
        "train": generate_stories(TRAIN_SEED, TRAIN_STORIES),
        "val": generate_stories(VAL_SEED, VAL_STORIES),
    }


def test_the_same_seed_gives_the_same_text():
    assert generate_stories(7, 30) == generate_stories(7, 30)
    assert generate_story(random.Random("x")) == generate_story(random.Random("x"))


def test_different_seeds_and_splits_give_different_text():
    assert generate_stories(TRAIN_SEED, 30) != generate_stories(VAL_SEED, 30)
    assert generate_story(random.Random(1)) != generate_story(random.Random(2))


def test_stories_are_joined_by_endoftext_on_its_own_line():
    text = generate_stories(3, 4)
    assert text.count(STORY_SEPARATOR) == 3
    assert text == STORY_SEPARATOR.join(split_stories(text))
    assert "\n<|endoftext|>\n" in text and not text.endswith("\n")


@pytest.mark.parametrize("name,split", [(TRAIN_FILE, "train"), (VAL_FILE, "val")])
def test_stored_files_are_exactly_what_the_generator_writes(corpus, name, split):
    stored = (DATA_DIR / name).read_bytes()
    assert stored == (corpus[split] + "\n").encode("utf-8"), (
        f"data/{name} is out of date: run python -m helpers.corpora.stories"
    )


def test_data_card_records_the_sha256_of_both_files():
    card = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    for name in (TRAIN_FILE, VAL_FILE):
        digest = hashlib.sha256((DATA_DIR / name).read_bytes()).hexdigest()
        assert digest in card, f"data/README.md does not record the sha256 of {name}"


def test_write_corpus_writes_both_files(tmp_path):
    train_path, val_path = write_corpus(train_stories=3, val_stories=2, out_dir=tmp_path)
    assert train_path.read_text(encoding="utf-8") == generate_stories(TRAIN_SEED, 3) + "\n"
    assert val_path.read_text(encoding="utf-8") == generate_stories(VAL_SEED, 2) + "\n"


def test_sizes_are_as_the_data_card_says(corpus):
    train_bytes, val_bytes = (len(corpus[s].encode("utf-8")) for s in ("train", "val"))
    assert 1_500_000 <= train_bytes <= 2_500_000
    assert 100_000 <= val_bytes <= 150_000
    assert len(split_stories(corpus["train"])) == TRAIN_STORIES
    assert len(split_stories(corpus["val"])) == VAL_STORIES


def test_train_and_validation_share_no_story(corpus):
    train, val = (set(split_stories(corpus[s])) for s in ("train", "val"))
    assert len(val) == VAL_STORIES  # and no story repeats inside a split either
    assert not train & val


def test_vocabulary_is_in_the_stated_range(corpus):
    words = set(story_words(corpus["train"] + corpus["val"]))
    low, high = VOCABULARY_RANGE
    assert low <= len(words) <= high, len(words)


def test_few_validation_sentences_occur_verbatim_in_train(corpus):
    train = set(split_sentences(corpus["train"]))
    val = split_sentences(corpus["val"])
    seen = sum(sentence in train for sentence in val) / len(val)
    assert seen < MAX_VAL_SENTENCES_IN_TRAIN, f"{seen:.1%} of validation sentences are in train"


def test_every_story_is_short_and_has_paragraphs_and_dialogue(corpus):
    for story in split_stories(corpus["val"]):
        assert 80 <= len(story_words(story)) <= MAX_WORDS, story
        assert story.count("\n\n") >= 2, story
        assert story.count('"') >= 2, story


def test_grammar_sanity(corpus):
    text = corpus["train"] + corpus["val"]
    assert not re.search(r"[{}\[\]]", text), "a template hole was left unfilled"
    a_before_vowel = re.findall(r"\b[Aa] [aeiou]\w*", text)
    assert not [w for w in a_before_vowel if not w.lower().startswith(("a one", "a uni", "a use"))]
    an_before_consonant = re.findall(r"\b[Aa]n [b-df-hj-np-tv-z]\w*", text)
    assert set(an_before_consonant) <= {"an hour", "An hour"}, set(an_before_consonant)
    assert not re.search(r"\b[Tt]hey (was|is|has)\b", text), "singular they takes 'were'"
    assert not re.search(r"\b(he|she) (were|are|have)\b", text)
    assert not re.search(r"(?<=[.!?] )[a-z]", text), "a sentence starts with a small letter"
    assert not re.search(r"  | [,.!?]", text), "a double space, or a space before punctuation"
    words = text.split()
    doubled = [a for a, b in zip(words, words[1:], strict=False) if a == b and a[-1].isalpha()]
    assert not doubled, "a doubled word"


def test_every_quote_is_closed_within_its_paragraph(corpus):
    for paragraph in (corpus["train"] + corpus["val"]).split("\n"):
        assert paragraph.count('"') % 2 == 0, paragraph


def test_pronouns_and_articles_agree():
    kit = next(child for child in CHILDREN if child.pronoun == "they")
    mara = next(child for child in CHILDREN if child.name == "Mara")
    template = "{hero.He} {hero.was} proud of {hero.his} {thing}; {thing.they} {thing.was} new."
    boots = thing_words("red boots", plural=True, short="boots")
    kite = thing_words("orange kite", plural=False, short="kite")
    they_line = fill_slots(template, {"hero": person_words(kit), "thing": boots})
    she_line = fill_slots(template, {"hero": person_words(mara), "thing": kite})
    assert they_line == "They were proud of their red boots; they were new."
    assert she_line == "She was proud of her orange kite; it was new."
    articles = [with_article(w) for w in ("apple", "hour", "uniform", "red kite")]
    assert articles == ["an apple", "an hour", "a uniform", "a red kite"]


def test_split_sentences_keeps_a_quotation_with_its_tag():
    text = '"Look!" said Mara. "The bird is singing!" Tobin cried. It sang. "Why?" she asked.'
    assert split_sentences(text) == [
        '"Look!" said Mara.',
        '"The bird is singing!" Tobin cried.',
        "It sang.",
        '"Why?" she asked.',
    ]
