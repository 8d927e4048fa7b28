"""helpers.corpora.instruction_data: Chapter 7's seeded instruction dataset and its three files."""

import random
import re
from collections import Counter

import pytest

import helpers.corpora.instruction_data as instruction_data
from helpers.corpora.instruction_data import (
    CHILD_NAMES,
    COLOURS,
    FIELDS,
    NOUNS,
    OPPOSITES,
    PARTNER_FAMILY,
    SINGULARS,
    SPLIT_FILES,
    SPLIT_SIZES,
    TASKS,
    TEST_FILE,
    TRAIN_FILE,
    VAL_FILE,
    Sentence,
    about,
    draw_colour,
    family_sizes,
    first_word,
    last_word,
    make_splits,
    negative,
    plural_of,
    question,
    read_instructions,
    statement,
    subject_of,
    task_of,
    who_question,
    write_instructions,
)
from helpers.instructions import format_prompt
from helpers.paths import DATA_DIR

MAX_TOKENS = 100  # the prompt, the answer and one <|endoftext|>; the model's context is 128
END = "<|endoftext|>"


@pytest.fixture(scope="module")
def splits() -> dict[str, list[dict]]:
    """The three stored files, as read_instructions reads them."""
    return {split: read_instructions(name) for split, name in SPLIT_FILES.items()}


@pytest.fixture(scope="module")
def token_counts(splits) -> list[int]:
    """Tokens of every formatted entry plus <|endoftext|>, with the course tokenizer."""
    from helpers.checkpoints import load_course_model

    _, tokenizer = load_course_model()
    return [
        len(tokenizer.encode(format_prompt(entry) + entry["output"] + END, allowed_special={END}))
        for entries in splits.values()
        for entry in entries
    ]


def test_regenerating_writes_the_stored_bytes(tmp_path):
    paths = write_instructions(tmp_path)
    assert [path.name for path in paths] == [TRAIN_FILE, VAL_FILE, TEST_FILE]
    for path in paths:
        assert path.read_bytes() == (DATA_DIR / path.name).read_bytes(), (
            f"data/{path.name} is out of date: run python -m helpers.corpora.instruction_data"
        )
    assert make_splits() == make_splits()


def test_files_are_indented_json_lists_ending_with_a_newline(splits):
    for split, name in SPLIT_FILES.items():
        text = (DATA_DIR / name).read_text(encoding="utf-8")
        assert text.startswith('[\n {\n  "instruction": ') and text.endswith("}\n]\n")
        assert len(splits[split]) == SPLIT_SIZES[split]


def test_exact_counts(splits):
    assert {split: len(entries) for split, entries in splits.items()} == {
        "train": 700,
        "val": 50,
        "test": 100,
    }


def test_every_entry_has_three_strings_and_an_answer(splits):
    for entries in splits.values():
        for entry in entries:
            assert tuple(entry) == FIELDS
            assert all(isinstance(entry[field], str) for field in FIELDS)
            assert entry["instruction"].strip() and entry["output"].strip()
            assert 1 <= len(entry["output"].split()) <= 12, entry


def test_no_entry_repeats_inside_a_split(splits):
    for entries in splits.values():
        pairs = [(e["instruction"], e["input"]) for e in entries]
        assert len(set(pairs)) == len(pairs)


def test_no_validation_or_test_entry_is_in_training(splits):
    train = splits["train"]
    train_pairs = {(e["instruction"], e["input"]) for e in train}
    train_inputs = {(task_of(e), e["input"]) for e in train if e["input"]}
    train_subjects = {(task_of(e), subject_of(e)) for e in train}
    for split in ("val", "test"):
        for entry in splits[split]:
            assert (entry["instruction"], entry["input"]) not in train_pairs, entry
            assert (task_of(entry), entry["input"]) not in train_inputs, entry
            assert (task_of(entry), subject_of(entry)) not in train_subjects, entry
    val = {(task_of(e), subject_of(e)) for e in splits["val"]}
    assert not val & {(task_of(e), subject_of(e)) for e in splits["test"]}


def test_a_held_out_question_has_its_partner_in_training(splits):
    train = {(task_of(e), subject_of(e)) for e in splits["train"]}
    held_out = [e for split in ("val", "test") for e in splits[split]]
    checked = 0
    for entry in held_out:
        family = task_of(entry)
        if family in PARTNER_FAMILY:  # cold -> hot is asked only if hot -> cold was trained
            assert (PARTNER_FAMILY[family], entry["output"]) in train, entry
            checked += 1
    assert checked > 20


def test_every_family_is_in_every_split_in_its_share(splits):
    sizes = family_sizes()
    for split, entries in splits.items():
        counts = Counter(task_of(entry) for entry in entries)
        assert counts == {name: sizes[name][split] for name in TASKS}
    for name in TASKS:
        assert sum(sizes[name].values()) in (70, 71)


def test_every_wording_is_used_in_training(splits):
    used = Counter(entry["instruction"] for entry in splits["train"])
    for name, task in TASKS.items():
        for wording in task.wordings:
            pattern = instruction_data.wording_pattern(wording)
            assert any(pattern.fullmatch(text) for text in used), (name, wording)


def test_only_opposite_questions_come_without_input(splits):
    entries = [e for split in splits.values() for e in split]
    no_input = {task_of(e) for e in entries if not e["input"]}
    assert no_input == {"opposite"}
    assert sum(not e["input"] for e in entries) > 30


def test_every_formatted_entry_fits_the_model(token_counts):
    assert len(token_counts) == sum(SPLIT_SIZES.values())
    assert max(token_counts) <= MAX_TOKENS, max(token_counts)


def test_task_of_and_subject_of():
    entry = {"instruction": "What is the opposite of wet?", "input": "", "output": "dry"}
    assert (task_of(entry), subject_of(entry)) == ("opposite", "wet")
    entry = {"instruction": "Write the opposite of this word.", "input": "wet", "output": "dry"}
    assert (task_of(entry), subject_of(entry)) == ("opposite", "wet")
    entry = {"instruction": "Put Tobin in place of Mara.", "input": "Mara ran.", "output": "-"}
    assert (task_of(entry), subject_of(entry)) == ("rename", "Mara ran.")
    with pytest.raises(ValueError, match="matches 0 families"):
        task_of({"instruction": "Sing a song.", "input": "", "output": "la"})


# ---------------------------------------------------------------------------------------------
# Hand-checked answers, family by family
# ---------------------------------------------------------------------------------------------


def test_plural_and_singular():
    pairs = {
        "fox": "foxes",
        "boat": "boats",
        "key": "keys",
        "story": "stories",
        "bench": "benches",
        "leaf": "leaves",
        "mouse": "mice",
        "child": "children",
        "sheep": "sheep",
    }
    for noun, plural in pairs.items():
        assert plural_of(noun) == plural
        assert SINGULARS[plural] == noun
    assert len(SINGULARS) == len(NOUNS), "two nouns share a plural"
    with pytest.raises(KeyError, match="none of the noun tables"):
        plural_of("dragon")


def test_opposites_go_both_ways():
    assert OPPOSITES["hot"] == "cold" and OPPOSITES["cold"] == "hot"
    assert OPPOSITES["wet"] == "dry" and OPPOSITES["asleep"] == "awake"
    assert all(OPPOSITES[OPPOSITES[word]] == word for word in OPPOSITES)


def test_first_and_last_words():
    assert first_word("On Monday, Mara ran to the harbour.") == "On"
    assert first_word("Grandmother Nell found a shell.") == "Grandmother"
    assert last_word("Tobin hid the kite at Fenwick's farm.") == "farm"
    assert last_word("Mara went to Lantern Hill.") == "Hill"


def test_sentences_are_built_from_their_parts():
    ran = Sentence("Tobin", "ran", "run", "to the harbour")
    assert statement(ran) == "Tobin ran to the harbour."
    assert negative(ran) == "Tobin did not run to the harbour."
    assert question(ran) == "Did Tobin run to the harbour?"
    assert who_question(ran) == "Who ran to the harbour?"
    assert statement(about(ran, "Mara")) == "Mara ran to the harbour."
    found = Sentence("Mara", "picked up", "pick up", "a red kite", tail="on Monday")
    assert negative(found) == "Mara did not pick up a red kite on Monday."
    assert question(found) == "Did Mara pick up a red kite on Monday?"
    led = Sentence("Nia", "lost", "lose", "the orange hat", lead="one morning")
    assert statement(led) == "One morning, Nia lost the orange hat."
    assert negative(led) == "One morning, Nia did not lose the orange hat."
    with pytest.raises(ValueError, match="without a lead"):
        question(led)


def test_colour_answers_name_the_asked_thing():
    for seed in range(20):
        fields, text, colour = draw_colour(random.Random(seed))
        assert colour in COLOURS
        assert re.search(rf"\ban? {colour} {fields['thing']}\b", text), (text, fields, colour)


def test_stored_answers_follow_from_their_inputs(splits):
    for entry in (e for entries in splits.values() for e in entries):
        family, given, answer = task_of(entry), entry["input"], entry["output"]
        if family == "plural":
            assert answer == plural_of(given)
        elif family == "singular":
            assert plural_of(answer) == given
        elif family == "opposite":
            assert answer == OPPOSITES[subject_of(entry)]
        elif family == "first_word":
            assert answer == first_word(given)
        elif family == "last_word":
            assert answer == last_word(given)
        elif family == "reverse":
            assert answer.split(", ") == given.split(", ")[::-1]
        elif family == "capitals":
            assert answer.lower() == given and answer[0].isupper()
        elif family == "end_mark":
            assert answer[:-1] == given
            assert answer.endswith("?") == given.startswith(("Did ", "Who "))
        elif family == "negative":
            assert " did not " in answer and answer.endswith(".")
        elif family == "question":
            assert answer.startswith("Did ") and answer.endswith("?")
        elif family == "colour":
            assert answer in COLOURS and f"{answer} " in given
        elif family == "rename":
            (old,) = [name for name in CHILD_NAMES if re.search(rf"\b{name}\b", given)]
            (new,) = [name for name in CHILD_NAMES if re.search(rf"\b{name}\b", answer)]
            assert new != old and new in entry["instruction"]
            assert answer == re.sub(rf"\b{old}\b", new, given)


def test_grammar_sanity(splits):
    texts = [e[f] for entries in splits.values() for e in entries for f in ("input", "output")]
    text = "\n".join(texts)
    assert not re.search(r"[{}\[\]]", text), "a template hole was left unfilled"
    assert not re.search(r"\b[Aa] [aeiou]", text), "'a' before a vowel"
    assert not re.search(r"\b[Aa]n [b-df-hj-np-tv-z]", text), "'an' before a consonant"
    assert not re.search(r"  | [,.!?]|,\S", text), "a double space, or a space before a mark"
    for line in texts:
        words = line.split()
        assert not [a for a, b in zip(words, words[1:], strict=False) if a == b], line


# ---------------------------------------------------------------------------------------------
# Reading the files
# ---------------------------------------------------------------------------------------------


def test_read_instructions_reads_the_stored_files(splits):
    assert read_instructions(TEST_FILE) == splits["test"]


def test_a_missing_file_says_how_to_make_it(tmp_path, monkeypatch):
    monkeypatch.setattr(instruction_data, "DATA_DIR", tmp_path)
    with pytest.raises(FileNotFoundError, match=r"instructions_train\.json") as error:
        read_instructions(TRAIN_FILE)
    assert "python -m helpers.corpora.instruction_data" in str(error.value)


def test_a_malformed_file_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(instruction_data, "DATA_DIR", tmp_path)
    (tmp_path / "bad.json").write_text('[{"instruction": "Hi", "output": 3}]', encoding="utf-8")
    with pytest.raises(ValueError, match="bad.json: entry 0"):
        read_instructions("bad.json")
