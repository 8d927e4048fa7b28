"""helpers/corpora/tales.py: the varied stories are seeded, well formed and cover the course."""

import csv
import hashlib
import json
import re
from functools import lru_cache

import pytest

from helpers.corpora import tales
from helpers.corpora.stories import STORY_SEPARATOR, split_stories, story_words, with_article
from helpers.paths import DATA_DIR

# Lower-cased words with an inner apostrophe kept: "Barnaby's" -> "barnaby's".
PLAIN_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


@lru_cache(maxsize=1)
def val_text() -> str:
    """The committed validation split."""
    return (DATA_DIR / tales.VAL_FILE).read_text(encoding="utf-8")


def later_chapter_words() -> set[str]:
    """Every word of the messages (text column) and the instructions of the later chapters."""
    words: set[str] = set()
    for split in ("train", "val", "test"):
        with (DATA_DIR / f"messages_{split}.tsv").open(encoding="utf-8") as file:
            for row in csv.DictReader(file, delimiter="\t"):
                words.update(PLAIN_WORD.findall(row["text"].lower()))
        records = json.loads((DATA_DIR / f"instructions_{split}.json").read_text("utf-8"))
        for record in records:
            for field in ("instruction", "input", "output"):
                words.update(PLAIN_WORD.findall(record[field].lower()))
    return words


def test_prefix_matches_recorded_sha256():
    prefix = tales.generate_tales(tales.VAL_SEED, 100)
    assert hashlib.sha256(prefix.encode("utf-8")).hexdigest() == tales.PREFIX_SHA256


def test_val_file_matches_recorded_sha256():
    assert hashlib.sha256(val_text().encode("utf-8")).hexdigest() == tales.VAL_SHA256


def test_val_file_is_the_generator_output_story_by_story():
    assert split_stories(val_text())[:20] == [
        tales.generate_tale(tales.VAL_SEED, i) for i in range(20)
    ]


def test_story_depends_only_on_seed_and_index():
    later_first = [tales.generate_tale(3, i) for i in (7, 2)]
    assert later_first == [tales.generate_tale(3, 7), tales.generate_tale(3, 2)]
    assert tales.generate_tale(3, 2) != tales.generate_tale(4, 2)
    assert tales.generate_tale(3, 2) != tales.generate_tale(3, 3)


def test_file_format():
    text = val_text()
    assert text.endswith("\n") and not text.endswith("\n\n")
    assert text.count(STORY_SEPARATOR) == tales.VAL_STORIES - 1
    assert len(split_stories(text)) == tales.VAL_STORIES
    assert text.isascii()


def test_story_lengths_within_bounds():
    for story in split_stories(val_text()):
        assert tales.MIN_WORDS <= len(story_words(story)) <= tales.MAX_WORDS, story[:200]


def test_articles_agree():
    for article, word in re.findall(r"\b([Aa]n?) ([A-Za-z]+)", val_text()):
        assert with_article(word).split()[0] == article.lower(), f"{article} {word}"


def test_no_unfilled_holes_or_broken_agreement():
    text = val_text()
    for bad in ("{", "}", "[", "]", "  ", " ,", ".."):
        assert bad not in text, bad
    pattern = r"\b(?:they was|he were|she were|I is|a an|an a)\b"
    assert re.findall(pattern, text, flags=re.IGNORECASE) == []
    assert re.findall(r'[,!?]" [a-z]+ (?:he|she|they)\b', text) == []  # never 'said she'


def test_quotes_are_paired_in_every_paragraph():
    for paragraph in val_text().split("\n\n"):
        assert paragraph.count('"') % 2 == 0, paragraph


def test_every_later_chapter_word_appears():
    """In the course model's pretraining text: the tales (their validation file stands in for
    the training file, built only on first use) or the template stories."""
    stories = (DATA_DIR / "stories_train.txt").read_text(encoding="utf-8")
    text_words = set(PLAIN_WORD.findall((val_text() + stories).lower()))
    missing = sorted(later_chapter_words() - text_words)
    assert missing == [], missing


def test_weather_words_appear():
    words = set(story_words(val_text()))
    weather = "tempest squall hurricane gale drizzle breeze thunderstorm overcast"
    weather += " balmy tranquil cloudless sunshine mild fierce calm glassy"
    assert set(weather.split()) <= words


def test_stormy_words_are_used_in_stormy_sentences():
    sentences = re.split(r"[.!?\n]", val_text())
    stormy = [s for s in sentences if re.search(r"\b(?:tempest|squall|hurricane)\b", s)]
    assert len(stormy) > 100
    assert not [s for s in stormy if re.search(r"\b(?:balmy|tranquil|cloudless)\b", s)]


def test_distinct_word_floor():
    assert len(set(story_words(val_text()))) >= 3_500


def test_some_lines_start_with_a_plain_word():
    starts = re.findall(r"^([a-z]+)\b", val_text(), flags=re.MULTILINE)
    assert len(set(starts)) >= 300
    assert {"tempest", "squall", "balmy"} <= set(starts)


def test_word_forms():
    assert tales.regular_plural("fox") == "foxes"
    assert tales.regular_plural("berry") == "berries"
    assert tales.parse_noun("knife/knives") == ("knife", "knives", False)
    assert tales.parse_noun("bread!") == ("bread", "bread", True)
    assert tales.parse_verb("bake") == ("bake", "baked", "baking")
    assert tales.parse_verb("stop/stopped") == ("stop", "stopped", "stopping")
    assert tales.parse_verb("tie") == ("tie", "tied", "tying")
    assert tales.parse_verb("carry") == ("carry", "carried", "carrying")


def test_build_corpus_writes_once_and_checks_sha256(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(tales, "TRAIN_STORIES", 3)
    expected = hashlib.sha256((tales.generate_tales(tales.TRAIN_SEED, 3) + "\n").encode())
    monkeypatch.setattr(tales, "TRAIN_SHA256", expected.hexdigest())
    path = tmp_path / "tales_train.txt"
    path.write_text("a file from an older generator\n")  # a mismatched file is rewritten
    assert tales.build_corpus(path) == path
    assert "Writing " in capsys.readouterr().out
    assert tales.file_sha256(path) == expected.hexdigest()
    tales.build_corpus(path)  # cached: nothing written, nothing printed
    assert capsys.readouterr().out == ""


def test_build_corpus_refuses_a_changed_generator(tmp_path, monkeypatch):
    monkeypatch.setattr(tales, "TRAIN_STORIES", 2)
    monkeypatch.setattr(tales, "TRAIN_SHA256", "0" * 64)
    with pytest.raises(RuntimeError, match="TRAIN_SHA256 is 0000"):
        tales.build_corpus(tmp_path / "tales_train.txt")


def test_data_card_records_both_sha256():
    card = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    assert tales.TRAIN_SHA256 in card and tales.VAL_SHA256 in card
