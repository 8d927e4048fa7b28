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
    SPLIT_FILES,
    SPLIT_SIZES,
    TASKS,
    TEST_FILE,
    TRAIN_FILE,
    VAL_FILE,
    Event,
    Sentence,
    about,
    draw_colour,
    draw_story_what,
    draw_story_who,
    family_sizes,
    first_word,
    last_word,
    make_splits,
    negative,
    question,
    read_instructions,
    statement,
    story_questions,
    subject_of,
    task_of,
    write_instructions,
)
from helpers.instructions import format_answer, format_prompt
from helpers.paths import DATA_DIR

MAX_TOKENS = 100  # the prompt, the answer and one <|endoftext|>; the model's context is 128
END = "<|endoftext|>"
# Families whose answer is found in the input: its tokens are a run of the prompt's tokens.
FOUND_IN_INPUT = ("first word", "last word", "colour", "story who", "story what")


@pytest.fixture(scope="module")
def splits() -> dict[str, list[dict]]:
    """The three stored files, as read_instructions reads them."""
    return {split: read_instructions(name) for split, name in SPLIT_FILES.items()}


@pytest.fixture(scope="module")
def course_tokenizer():
    """The compact tokenizer of the course model that Chapter 7 finetunes."""
    from helpers.checkpoints import COURSE_GPT, load_course_model

    return load_course_model(COURSE_GPT)[1]


@pytest.fixture(scope="module")
def token_counts(splits, course_tokenizer) -> list[int]:
    """Tokens of every formatted entry plus <|endoftext|>, with the course tokenizer."""
    return [
        len(
            course_tokenizer.encode(
                format_prompt(entry) + format_answer(entry) + END, allowed_special={END}
            )
        )
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
        "train": 6400,
        "val": 160,
        "test": 320,
    }


def test_every_entry_has_three_strings_an_input_and_an_answer(splits):
    for entries in splits.values():
        for entry in entries:
            assert tuple(entry) == FIELDS
            assert all(isinstance(entry[field], str) for field in FIELDS)
            assert entry["instruction"].strip() and entry["input"].strip()
            assert 1 <= len(entry["output"].split()) <= 16, entry


def test_no_entry_repeats_inside_a_split(splits):
    for entries in splits.values():
        pairs = [(e["instruction"], e["input"]) for e in entries]
        assert len(set(pairs)) == len(pairs)


def test_no_validation_or_test_entry_is_in_training(splits):
    train = splits["train"]
    train_pairs = {(e["instruction"], e["input"]) for e in train}
    train_subjects = {(task_of(e), subject_of(e)) for e in train}
    for split in ("val", "test"):
        for entry in splits[split]:
            assert (entry["instruction"], entry["input"]) not in train_pairs, entry
            assert (task_of(entry), subject_of(entry)) not in train_subjects, entry
    val = {(task_of(e), subject_of(e)) for e in splits["val"]}
    assert not val & {(task_of(e), subject_of(e)) for e in splits["test"]}


def test_every_family_is_in_every_split_in_its_share(splits):
    sizes = family_sizes()
    for split, entries in splits.items():
        counts = Counter(task_of(entry) for entry in entries)
        assert counts == {name: sizes[name][split] for name in TASKS}
    for name in TASKS:
        assert sum(sizes[name].values()) == 860


def test_every_wording_is_used_in_training(splits):
    used = Counter(entry["instruction"] for entry in splits["train"])
    for name, task in TASKS.items():
        for wording in task.wordings:
            pattern = instruction_data.wording_pattern(wording)
            assert any(pattern.fullmatch(text) for text in used), (name, wording)


def test_every_formatted_entry_fits_the_model(token_counts):
    assert len(token_counts) == sum(SPLIT_SIZES.values())
    assert max(token_counts) <= MAX_TOKENS, max(token_counts)


def test_answers_are_tokenized_as_the_same_words_in_the_prompt(splits, course_tokenizer):
    """A found answer's tokens occur in the prompt in a row: ' harbour' is one token in both."""
    for entry in (e for e in splits["train"] if task_of(e) in FOUND_IN_INPUT):
        prompt = course_tokenizer.encode(format_prompt(entry))
        answer = course_tokenizer.encode(format_answer(entry))
        runs = (prompt[i : i + len(answer)] for i in range(len(prompt) - len(answer) + 1))
        assert answer in runs, entry


def test_few_answer_tokens_are_single_bytes(splits, course_tokenizer):
    """At most 1% of answer tokens are letters of a spelled-out word; marks (. ? ,) are bytes."""
    base, kept = course_tokenizer.base, course_tokenizer.kept_ids
    pieces = [
        base.decode_single_token_bytes(kept[i])
        for entry in splits["train"]
        for i in course_tokenizer.encode(format_answer(entry))
    ]
    single = [piece for piece in pieces if len(piece) == 1]
    letters = [piece for piece in single if piece.isalpha()]
    assert len(letters) / len(pieces) <= 0.01  # 'Greta' is ' Gret' + 'a'; no word is spelled out
    assert len(single) / len(pieces) <= 0.12  # the rest are marks: . ? , ' - and spaces


def test_task_of_and_subject_of():
    entry = {"instruction": "Give the last word.", "input": "Mara ran home.", "output": "home"}
    assert (task_of(entry), subject_of(entry)) == ("last word", "Mara ran home.")
    entry = {"instruction": "Put Tobin in the place of Mara.", "input": "Mara ran.", "output": "-"}
    assert (task_of(entry), subject_of(entry)) == ("rename", "Mara ran.")
    entry = {"instruction": "Answer from the story. Who ran home?", "input": "x", "output": "-"}
    assert task_of(entry) == "story who"
    entry = {
        "instruction": "Answer from the story: Where did Mara go?",
        "input": "x",
        "output": "-",
    }
    assert task_of(entry) == "story what"
    with pytest.raises(ValueError, match="matches 0 families"):
        task_of({"instruction": "Sing a song.", "input": "", "output": "la"})
    with pytest.raises(ValueError, match="has no input"):
        subject_of({"instruction": "Give the last word.", "input": "", "output": "la"})


# ---------------------------------------------------------------------------------------------
# Hand-checked answers, family by family
# ---------------------------------------------------------------------------------------------


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
    assert statement(about(ran, "Mara")) == "Mara ran to the harbour."
    found = Sentence("Mara", "picked up", "pick up", "a red kite", tail="on Monday")
    assert negative(found) == "Mara did not pick up a red kite on Monday."
    assert question(found) == "Did Mara pick up a red kite on Monday?"
    led = Sentence("Nia", "lost", "lose", "the orange hat", lead="one morning")
    assert statement(led) == "One morning, Nia lost the orange hat."
    assert negative(led) == "One morning, Nia did not lose the orange hat."
    with pytest.raises(ValueError, match="without a lead"):
        question(led)


def test_story_events_and_their_questions():
    found = Event("Mara", "found", "find", "the red kite", "at the harbour", "on Monday")
    assert found.text() == "Mara found the red kite at the harbour on Monday."
    assert found.did() == "found the red kite at the harbour"
    assert story_questions(found) == [
        ("What did Mara find?", "the red kite"),
        ("Where did Mara find the red kite?", "at the harbour"),
        ("When did Mara find the red kite?", "on Monday"),
    ]
    ran = Event("Tobin", "ran", "run", where="to Lantern Hill")
    assert ran.text() == "Tobin ran to Lantern Hill."
    assert story_questions(ran) == [("Where did Tobin run?", "to Lantern Hill")]


def test_story_answers_are_unique_parts_of_the_story():
    for seed in range(200):
        fields, story, who = draw_story_who(random.Random(seed))
        sentences = story.split(". ")
        assert 2 <= len(sentences) <= 4 and who in CHILD_NAMES + instruction_data.GROWN_UPS
        did = fields["question"][len("Who ") : -1]
        assert [s for s in sentences if did in s] == [s for s in sentences if s.startswith(who)]
        fields, story, answer = draw_story_what(random.Random(seed))
        assert f" {answer}" in story
        asked_who = re.match(r"(What|Where|When) did (.+?) (\w+)", fields["question"])[2]
        assert story.count(f"{asked_who} ") == 1, story


def test_colour_answers_name_the_asked_thing():
    for seed in range(200):
        fields, text, colour = draw_colour(random.Random(seed))
        assert colour in COLOURS
        thing = fields["thing"]
        bound = (
            rf"\b(an?|the) {colour} {thing}\b|^The {thing} was {colour}\b"
            rf"| the {thing} was {colour}\."
        )
        assert re.search(bound, text), (text, fields, colour)


def test_stored_answers_follow_from_their_inputs(splits):
    for entry in (e for entries in splits.values() for e in entries):
        family, given, answer = task_of(entry), entry["input"], entry["output"]
        if family == "first word":
            assert answer == first_word(given)
        elif family == "last word":
            assert answer == last_word(given)
        elif family == "did not":
            assert " did not " in answer and answer.endswith(".")
            assert (first_word(answer), last_word(answer)) == (first_word(given), last_word(given))
        elif family == "question":
            assert answer.startswith("Did ") and answer.endswith("?")
            assert last_word(answer) == last_word(given)
        elif family == "colour":
            assert answer in COLOURS and re.search(rf"\b{answer}\b", given)
        elif family == "rename":
            names = next(
                match.groupdict()
                for wording in TASKS["rename"].wordings
                if (
                    match := instruction_data.wording_pattern(wording).fullmatch(
                        entry["instruction"]
                    )
                )
            )
            old, new = names["old"], names["new"]
            assert old in CHILD_NAMES and new in CHILD_NAMES and not re.search(rf"\b{new}\b", given)
            assert answer == re.sub(rf"\b{old}\b", new, given) != given
        elif family in ("story who", "story what"):
            assert f" {answer}" in f" {given}"
        else:
            raise AssertionError(f"no check for {family}")


def test_grammar_sanity(splits):
    texts = [e[f] for entries in splits.values() for e in entries for f in ("input", "output")]
    text = "\n".join(texts)
    assert not re.search(r"[{}\[\]]", text), "a template hole was left unfilled"
    assert not re.search(r"\b[Aa] [aeio]", text), "'a' before a vowel ('a useful' is right)"
    assert not re.search(r"\b[Aa]n [b-df-gj-np-tv-z]", text), "'an' before a consonant ('an hour')"
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
