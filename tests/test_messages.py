"""helpers.corpora.messages: Chapter 6's labelled weather messages and their three files."""

import random
import re

import pytest

from helpers.corpora.messages import (
    FAIR,
    FAIR_WORDS,
    FORMS,
    HEADER,
    LABELS,
    MAX_CHARS,
    MAX_WORDS,
    MIN_WORDS,
    NO_HEADS,
    SPLITS,
    STORM,
    STORM_WORDS,
    TEST_FILE,
    TEST_ONLY_WORDS,
    TIE_LABEL,
    YES_HEADS,
    generate_message,
    generate_splits,
    keyword_accuracy,
    keyword_baseline,
    read_messages,
    template_count,
    write_messages,
)
from helpers.corpora.stories import story_words
from helpers.paths import DATA_DIR

# The data card states these; measured: 0.568 (train), 0.610 (val), 0.613 (test).
BASELINE_RANGE = (0.55, 0.70)
NEGATED_RANGE = (0.35, 0.45)  # measured: 0.404, 0.425, 0.390
TEST_ONLY_RANGE = (0.15, 0.25)  # of test messages; measured: 0.233 (93 of 400)
MAX_TOKENS = 60  # with the course tokenizer; measured: at most 58
# Weather words that must occur often under both labels, so that counting them is not enough.
BALANCED_WORDS = ("storm", "gale", "wind", "rain", "calm", "sunny", "clear", "fair", "sun", "fine")
MIN_PER_LABEL = 10  # training messages with the word, for each label; measured: at least 12
# Messages with no word of STORM_WORDS or FAIR_WORDS, under each label; measured in the training
# split: 0.379 (fair weather), 0.433 (storm warning).
NO_WEATHER_WORD_RANGE = (0.25, 0.50)
# The forms of a message, told from its text (measured on the training split: questions 0.291,
# dialogue 0.139, lists 0.116, short 0.051, long 0.575).
QUESTION_SHARE = 0.2  # with a question mark
DIALOGUE_SHARE = 0.1  # two or more "Name: Line" turns
LIST_SHARE = 0.08  # "heading: a, b and c."
SHORT_SHARE = 0.03  # of at most five words
LONG_SHARE = 0.4  # of at least fifteen words
MIN_FORM_SHARE = 0.05  # of the training split, for each form; measured: at least 0.074
MIN_TEMPLATES = 600  # measured: 770
MIN_DISTINCT_SENTENCES = 1500  # in the training split; measured: 1710
DIALOGUE_TURN = re.compile(r"(?:^|[.?!] )(?:[A-Z][a-z]+ )?[A-Z][a-z]+: [A-Z]")
LIST_SHAPE = re.compile(r": [a-z][^.?!]* and [^.?!]+\.")
SENTENCE = re.compile(r"[^.?!]+[.?!]")
# How a negated message turns the other label round, and in how many negated messages of the
# training split each form must occur. Measured, of 565: not 202, no 190, never 35, nothing 19,
# nobody 64, n't 168, hardly 18, no sign of 6, a verb that ends it 69, called off 58, a question
# that denies 57, but 22.
NEGATION_FORMS = {
    "not": r"\bnot\b",
    "no": r"\bno\b",
    "never": r"\bnever\b",
    "nothing": r"\bnothing\b",
    "nobody, no one": r"\bnobody\b|\bno one\b",
    "n't": r"n't\b",
    "hardly": r"\bhardly\b",
    "no sign of": r"\bno sign of\b",
    "a verb that ends it": r"\bblew over\b|\bblown itself out\b|\bpassed\b|\bwent round\b"
    r"|\bmissed us\b|\bcame to nothing\b|\bis over\b|\bstopped\b",
    "called off": r"\bcall(?:ed|ing) off\b|\bis off\b",
    "a question that denies": r"\? (?:What \w+|Not \w+|Hardly)\b",
    "but": r"\bbut\b",
}
MIN_PER_NEGATION_FORM = 5


@pytest.fixture(scope="module")
def stored() -> dict[str, list[tuple[str, int]]]:
    """The three stored splits, as read_messages returns them."""
    return {split: read_messages(name) for split, name, _ in SPLITS}


@pytest.fixture(scope="module")
def generated():
    """The three splits, generated afresh, with how each message was made."""
    return generate_splits()


@pytest.fixture(scope="module")
def token_lengths(stored) -> dict[str, list[int]]:
    """The length of every stored message in tokens of the course tokenizer, computed once."""
    from helpers.checkpoints import load_course_model

    _, tokenizer = load_course_model()
    return {
        split: [len(tokenizer.encode(text)) for text, _ in pairs] for split, pairs in stored.items()
    }


def words_of(pairs: list[tuple[str, int]]) -> set[str]:
    """Every distinct lower-cased word of a split."""
    return {word for text, _ in pairs for word in story_words(text)}


def test_labels_are_named_in_order():
    assert LABELS == ("fair weather", "storm warning")
    assert (FAIR, STORM) == (0, 1)


def test_the_same_seed_gives_the_same_message():
    for label in (FAIR, STORM):
        first = generate_message(random.Random(f"x-{label}"), label)
        assert first == generate_message(random.Random(f"x-{label}"), label)
        assert first.label == label


def test_regenerating_writes_the_stored_bytes(tmp_path):
    paths = write_messages(tmp_path)
    assert [path.name for path in paths] == [name for _, name, _ in SPLITS]
    for path in paths:
        assert path.read_bytes() == (DATA_DIR / path.name).read_bytes(), (
            f"data/{path.name} is out of date: run python -m helpers.corpora.messages"
        )


def test_read_messages_returns_what_was_written(tmp_path, generated):
    write_messages(tmp_path)
    for split, name, _ in SPLITS:
        expected = [(message.text, message.label) for message in generated[split]]
        assert read_messages(name, tmp_path) == expected


@pytest.mark.parametrize("split,name,size", SPLITS)
def test_each_split_has_its_size_and_half_of_each_label(stored, split, name, size):
    labels = [label for _, label in stored[split]]
    assert len(labels) == size
    assert labels.count(FAIR) == labels.count(STORM) == size // 2


def test_the_splits_are_70_10_20_of_2000():
    assert [size for _, _, size in SPLITS] == [1400, 200, 400]


def test_no_text_is_repeated_within_or_across_splits(stored):
    texts = [text for pairs in stored.values() for text, _ in pairs]
    assert len(set(texts)) == len(texts)


def test_test_only_words_occur_only_in_the_test_split(stored):
    test_words = words_of(stored["test"])
    seen_in_training = words_of(stored["train"]) | words_of(stored["val"])
    for word in TEST_ONLY_WORDS:
        assert word in test_words, f"{word!r} never occurs in the test split"
        assert word not in seen_in_training, f"{word!r} occurs in train or validation"


def test_about_a_fifth_of_test_messages_use_a_test_only_word(stored):
    pairs = stored["test"]
    share = sum(bool(set(story_words(text)) & set(TEST_ONLY_WORDS)) for text, _ in pairs)
    share /= len(pairs)
    assert TEST_ONLY_RANGE[0] <= share <= TEST_ONLY_RANGE[1]


def test_a_test_only_message_always_has_a_test_only_word():
    for index in range(40):
        message = generate_message(random.Random(index), index % 2, test_only=True)
        assert set(story_words(message.text)) & set(TEST_ONLY_WORDS), message.text


@pytest.mark.parametrize("split", [split for split, _, _ in SPLITS])
def test_about_two_messages_in_five_hinge_on_a_negation(generated, split):
    messages = generated[split]
    share = sum(message.negated for message in messages) / len(messages)
    assert NEGATED_RANGE[0] <= share <= NEGATED_RANGE[1]


@pytest.mark.parametrize("split", [split for split, _, _ in SPLITS])
def test_keyword_baseline_accuracy_is_in_the_range_the_card_states(stored, split):
    accuracy = keyword_accuracy(stored[split])
    assert BASELINE_RANGE[0] <= accuracy <= BASELINE_RANGE[1], f"{split}: {accuracy:.3f}"


def test_keyword_baseline_fails_on_negated_messages_and_passes_on_plain_ones(generated):
    messages = generated["train"]
    negated = [(m.text, m.label) for m in messages if m.negated]
    plain = [(m.text, m.label) for m in messages if not m.negated]
    assert keyword_accuracy(negated) < 0.5 < keyword_accuracy(plain)


def test_keyword_baseline_counts_words_and_ignores_negation():
    assert keyword_baseline("A gale is coming in from the west by evening.") == STORM
    assert keyword_baseline("The sea will be calm and the sky clear all day.") == FAIR
    assert keyword_baseline("No storm is coming this evening; the wind has dropped.") == STORM
    assert keyword_baseline("The calm will not last past lunch.") == FAIR
    assert keyword_baseline("Supper is at six.") == TIE_LABEL == FAIR  # no weather words
    assert keyword_baseline("STORM, storm and sun.") == STORM  # case does not matter


def test_weather_words_occur_under_both_labels(stored):
    word_sets = [(set(story_words(text)), label) for text, label in stored["train"]]
    for word in BALANCED_WORDS:
        counts = [
            sum(word in words for words, label in word_sets if label == wanted)
            for wanted in (FAIR, STORM)
        ]
        assert min(counts) >= MIN_PER_LABEL, f"{word!r}: {counts} (fair, storm)"


def test_messages_are_short_enough_for_the_course_model(token_lengths):
    for split, lengths in token_lengths.items():
        assert max(lengths) <= MAX_TOKENS, f"{split}: {max(lengths)} tokens"


def test_messages_have_2_to_24_words_and_at_most_110_characters(stored):
    assert (MIN_WORDS, MAX_WORDS, MAX_CHARS) == (2, 24, 110)
    for pairs in stored.values():
        for text, _ in pairs:
            assert MIN_WORDS <= len(story_words(text)) <= MAX_WORDS, text
            assert len(text) <= MAX_CHARS, text


def test_message_lengths_vary_from_a_few_words_to_many(stored):
    lengths = [len(story_words(text)) for text, _ in stored["train"]]
    assert sum(n <= 5 for n in lengths) / len(lengths) >= SHORT_SHARE
    assert sum(n >= 15 for n in lengths) / len(lengths) >= LONG_SHARE


def test_messages_come_in_many_forms(stored):
    texts = [text for text, _ in stored["train"]]
    questions = sum("?" in text for text in texts) / len(texts)
    dialogues = sum(len(DIALOGUE_TURN.findall(text)) >= 2 for text in texts) / len(texts)
    lists = sum(bool(LIST_SHAPE.search(text)) for text in texts) / len(texts)
    assert questions >= QUESTION_SHARE, questions
    assert dialogues >= DIALOGUE_SHARE, dialogues
    assert lists >= LIST_SHARE, lists


def test_every_form_is_written_often_under_both_labels(generated):
    messages = generated["train"]
    for form in FORMS:
        for label in (FAIR, STORM):
            count = sum(m.form == form and m.label == label for m in messages)
            assert count / len(messages) >= MIN_FORM_SHARE / 2, (form, label, count)


def test_an_answer_says_yes_to_a_plain_message_and_no_to_a_negated_one(generated):
    for message in generated["train"]:
        if message.form != "question":
            continue
        answer = message.text.split("? ", 1)[1]
        yes, no = (tuple(head.rstrip(",.!") for head in heads) for heads in (YES_HEADS, NO_HEADS))
        right, wrong = (no, yes) if message.negated else (yes, no)
        assert answer.startswith(right) and not answer.startswith(wrong), message


def test_many_messages_name_no_weather_word_under_both_labels(stored):
    weather = STORM_WORDS | FAIR_WORDS
    for label in (FAIR, STORM):
        texts = [text for text, wanted in stored["train"] if wanted == label]
        share = sum(not set(story_words(text)) & weather for text in texts) / len(texts)
        assert NO_WEATHER_WORD_RANGE[0] <= share <= NO_WEATHER_WORD_RANGE[1], (label, share)


def test_negated_messages_use_many_forms_of_negation(generated):
    negated = [m.text for m in generated["train"] if m.negated]
    for name, pattern in NEGATION_FORMS.items():
        count = sum(bool(re.search(pattern, text, flags=re.IGNORECASE)) for text in negated)
        assert count >= MIN_PER_NEGATION_FORM, f"{name!r}: {count} negated messages"


def test_negation_is_no_label_cue(generated):
    messages = generated["train"]
    negated = [m.label for m in messages if m.negated]
    assert 0.4 <= negated.count(STORM) / len(negated) <= 0.6
    # and negative words also occur where nothing is turned round ("Don't forget your sunhat.")
    plain = [m.text for m in messages if not m.negated]
    assert sum(bool(re.search(r"n't\b|\bno\b|\bnever\b", text)) for text in plain) >= 20


def test_there_are_many_templates_and_sentences(stored):
    assert template_count() >= MIN_TEMPLATES
    sentences = {s.strip() for text, _ in stored["train"] for s in SENTENCE.findall(text)}
    assert len(sentences) >= MIN_DISTINCT_SENTENCES


def test_messages_are_tidy_sentences(stored):
    for pairs in stored.values():
        for text, _ in pairs:
            assert text.isascii() and text == text.strip(), text
            assert text[0].isupper() and text[-1] in ".?!", text
            assert not re.search(r"[{}\[\]\t\n]|  ", text), text
            # after a full stop or question mark, a sentence starts with a capital letter
            assert not re.search(r"[.?!] [a-z]", text), text


# ---------------------------------------------------------------------------------------------
# read_messages: what it refuses
# ---------------------------------------------------------------------------------------------


def test_read_messages_names_a_missing_file_and_how_to_make_it(tmp_path):
    with pytest.raises(
        FileNotFoundError, match=r"missing\.tsv.*python -m helpers\.corpora\.messages"
    ):
        read_messages("missing.tsv", tmp_path)


@pytest.mark.parametrize(
    "content,error",
    [
        ("", "header"),
        ("text\tlabel\n0\tSupper is at six.\n", "header"),
        (f"{HEADER}\n0 Supper is at six.\n", "line 2"),
        (f"{HEADER}\n0\tSupper\tis at six.\n", "line 2"),
        (f"{HEADER}\n0\tFine.\n2\tSupper is at six.\n", "line 3: label must be 0 or 1"),
        (f"{HEADER}\n1\t\n", "line 2"),
    ],
    ids=["empty", "wrong-header", "no-tab", "two-tabs", "bad-label", "no-text"],
)
def test_read_messages_refuses_a_malformed_file(tmp_path, content, error):
    (tmp_path / TEST_FILE).write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=error):
        read_messages(TEST_FILE, tmp_path)
