"""Instructions and answers in the world of Saltmere, made from tables: data for finetuning.

Chapter 7 teaches the course's small pretrained GPT to follow instructions. Its data is a list
of entries, each a dict with an ``instruction``, an ``input`` (``""`` when the instruction says
it all) and the ``output`` the model should learn to write, for example::

    {"instruction": "Write the plural of this word.", "input": "fox", "output": "foxes"}

A 1.1M-parameter model that has read only children's stories cannot learn much in a few hundred
steps, so every task here is small: its answer copies or lightly changes words of the input,
and the words are the stories' own (Mara, Tobin, the harbour, kites and gulls).

How an entry is made: a task family (plural, opposite, turn into a question, ...) picks what to
ask about from its tables, with a seeded ``random.Random``, and computes the answer from the same
tables; then one of the family's 4 or 5 wordings of the instruction is chosen. A sentence is
kept in parts (who, the verb's two forms, the rest), so that "did not run" and "Did Tobin run
...?" are put together from the parts, never guessed from text.

Each family asks about many different things (its *subjects*: a noun, a sentence, a list of
words), and asks about each at most once, so a subject in the test split never occurs in the
training split for the same family. Where a question only makes sense once its partner is known
(the opposite of "cold" when "hot" -> "cold" was seen; the singular of "mice" when "mouse" ->
"mice" was seen), the held-out question's partner is put in the training split.

What it leaves out: real-world knowledge, arithmetic, long answers, pronouns in sentences (so
a new name never needs a new "her"), any sentence not in the past tense, and any wording the
tables do not hold. Every template was written for this course.

Run ``python -m helpers.corpora.instruction_data`` to write ``data/instructions_train.json``,
``data/instructions_val.json`` and ``data/instructions_test.json``; the same command always
writes the same bytes.
"""

import dataclasses
import json
import random
import re
from collections.abc import Callable
from pathlib import Path

from helpers.corpora.stories import CHILDREN, DAYS, PLACES, capitalise, with_article
from helpers.paths import DATA_DIR

TRAIN_FILE = "instructions_train.json"
VAL_FILE = "instructions_val.json"
TEST_FILE = "instructions_test.json"
SPLIT_SIZES = {"train": 700, "val": 50, "test": 100}
SPLIT_FILES = {"train": TRAIN_FILE, "val": VAL_FILE, "test": TEST_FILE}
SEED = 1
FIELDS = ("instruction", "input", "output")

Entry = dict[str, str]  # {"instruction": ..., "input": ..., "output": ...}
Drawn = tuple[dict[str, str], str, str]  # a wording's fields, the input, the output

# ---------------------------------------------------------------------------------------------
# Words: nouns and their plurals, opposites, colours
# ---------------------------------------------------------------------------------------------

# Nouns whose plural adds -s (a vowel before a final y keeps it: key -> keys).
S_NOUNS = (
    *("boat", "gull", "crab", "shell", "kite", "hat", "key", "marble", "ribbon", "notebook"),
    *("bucket", "ball", "lantern", "map", "pebble", "coat", "feather", "medal", "bell", "boy"),
    *("girl", "cat", "dog", "goat", "cow", "hen", "heron", "seal", "bird", "tree", "apple"),
    *("pear", "plum", "cake", "bun", "tart", "pie", "biscuit", "jar", "net", "rope", "stone"),
    *("rock", "wave", "cloud", "window", "door", "gate", "wall", "roof", "chimney", "day"),
    *("toy", "donkey", "lamb", "owl", "badger", "rabbit", "horse", "nest", "rose", "basket"),
    *("blanket", "boot", "kitten", "bowl", "chair", "table", "bed", "book", "flag", "oar"),
    *("lobster", "wheel", "path", "hill", "pool", "field", "lane", "house", "shop", "garden"),
    *("barn", "shed", "school", "clock", "bottle", "bag", "letter", "whistle"),
)
# Nouns that end in s, x, ch or sh add -es.
ES_NOUNS = ("fox", "box", "glass", "bench", "sandwich", "church", "dish", "brush", "wish")
# A consonant before a final y: the y becomes -ies.
IES_NOUNS = ("story", "cherry", "pony", "puppy", "party", "fly", "berry", "penny", "daisy")
# Every other plural, one by one.
IRREGULAR_PLURALS = {
    "leaf": "leaves",
    "loaf": "loaves",
    "shelf": "shelves",
    "scarf": "scarves",
    "wolf": "wolves",
    "knife": "knives",
    "child": "children",
    "man": "men",
    "woman": "women",
    "mouse": "mice",
    "goose": "geese",
    "foot": "feet",
    "tooth": "teeth",
    "sheep": "sheep",
    "potato": "potatoes",
}


def plural_of(noun: str) -> str:
    """The plural of a noun from the tables above: 'boat' -> 'boats', 'fox' -> 'foxes'."""
    if noun in IRREGULAR_PLURALS:
        return IRREGULAR_PLURALS[noun]
    if noun in ES_NOUNS:
        return noun + "es"
    if noun in IES_NOUNS:
        return noun[:-1] + "ies"
    if noun in S_NOUNS:
        return noun + "s"
    raise KeyError(f"{noun!r} is in none of the noun tables")


NOUNS = tuple(dict.fromkeys((*S_NOUNS, *ES_NOUNS, *IES_NOUNS, *IRREGULAR_PLURALS)))
SINGULARS = {plural_of(noun): noun for noun in NOUNS}  # 'foxes' -> 'fox'

# Pairs of words with one clear opposite each, both ways.
OPPOSITE_PAIRS = (
    *(("hot", "cold"), ("wet", "dry"), ("big", "small"), ("fast", "slow"), ("happy", "sad")),
    *(("early", "late"), ("first", "last"), ("full", "empty"), ("high", "low")),
    *(("clean", "dirty"), ("strong", "weak"), ("near", "far"), ("awake", "asleep")),
    *(("tidy", "messy"), ("wide", "narrow"), ("deep", "shallow"), ("sharp", "blunt")),
    *(("rough", "smooth"), ("good", "bad"), ("loud", "quiet"), ("rich", "poor"), ("up", "down")),
    *(("in", "out"), ("yes", "no"), ("day", "night"), ("black", "white"), ("always", "never")),
    *(("before", "after"), ("top", "bottom"), ("inside", "outside"), ("push", "pull")),
    *(("float", "sink"), ("remember", "forget"), ("north", "south"), ("east", "west")),
    *(("summer", "winter"), ("above", "below"), ("many", "few"), ("front", "back")),
    *(("laugh", "cry"), ("buy", "sell"), ("give", "take"), ("true", "false"), ("best", "worst")),
)
OPPOSITES = {a: b for pair in OPPOSITE_PAIRS for a, b in (pair, pair[::-1])}

COLOURS = ("red", "blue", "green", "yellow", "orange", "purple", "white", "grey", "brown", "pink")
# Things that a child can find, carry or lose, one of each.
THINGS = (
    *("kite", "hat", "scarf", "ball", "bucket", "ribbon", "marble", "shell", "lantern", "coat"),
    *("bell", "key", "notebook", "feather", "pebble", "whistle", "map", "boat", "basket"),
    *("blanket", "bottle", "flag", "jar", "umbrella", "compass", "bowl", "spade", "net"),
)
# Animals and other short words for lists.
LIST_WORDS = (
    *("gull", "crab", "heron", "seal", "goat", "hen", "fox", "owl", "dog", "cat", "lamb", "cow"),
    *("kite", "hat", "boat", "shell", "bell", "key", "map", "net", "apple", "plum", "pear"),
    *("bread", "cheese", "honey", "milk", "rain", "wind", "snow", "fog", "sun", "sea", "sand"),
)

# ---------------------------------------------------------------------------------------------
# Sentences kept in parts
# ---------------------------------------------------------------------------------------------

# (past, base) forms of verbs that go somewhere: 'ran to the harbour'.
MOTION_VERBS = (
    *(("ran", "run"), ("walked", "walk"), ("went", "go"), ("hurried", "hurry")),
    *(("raced", "race"), ("came", "come"), ("crept", "creep")),
)
# (past, base) forms of verbs that take a thing: 'found the red kite'.
THING_VERBS = (
    *(("found", "find"), ("lost", "lose"), ("saw", "see"), ("dropped", "drop")),
    *(("carried", "carry"), ("kept", "keep"), ("hid", "hide"), ("picked up", "pick up")),
    *(("had", "have"), ("left", "leave"), ("forgot", "forget"), ("looked for", "look for")),
)
# The verbs that sound right with 'a red kite and a blue hat'.
HAVING_VERBS = (
    *(("found", "find"), ("lost", "lose"), ("saw", "see"), ("dropped", "drop")),
    *(("carried", "carry"), ("had", "have")),
)
CHILD_NAMES = tuple(child.name for child in CHILDREN)
GROWN_UPS = (
    *("Grandmother Nell", "Uncle Fenwick", "Captain Barnaby", "Mrs Dunlin", "Mr Pike"),
    *("Doctor Bell", "Miss Hartley", "Mr Gale", "Mrs Penrose"),
)
PLACE_NAMES = tuple(place.name for place in PLACES)
PLACES_AT = tuple(place.at for place in PLACES)  # 'at the harbour', 'on Lantern Hill'
# When it happened: at the start of a sentence (with a comma) or at its end.
TIME_PHRASES = (
    *("that morning", "that afternoon", "after school", "before supper"),
    *(f"on {day}" for day in DAYS),
)
CAPITALS_MAX_WORDS = 7  # a sentence in small letters costs more tokens than one written properly
# Times that only start a sentence: 'One morning, ...' ('Did Mara ... one morning?' is odd).
STORY_TIMES = ("one morning", "one evening")


@dataclasses.dataclass(frozen=True)
class Sentence:
    """A short sentence in the past tense, in parts: (lead,) who, verb, rest, (tail)."""

    who: str  # 'Mara', 'Grandmother Nell'
    past: str  # 'ran'
    base: str  # 'run': the form after 'did'
    rest: str  # 'to the harbour', 'a shell on the beach'
    lead: str = ""  # 'one morning': starts the sentence, followed by a comma
    tail: str = ""  # 'on Monday': ends it


def join_parts(sentence: Sentence, middle: str, mark: str) -> str:
    """Put a sentence's lead, a middle and its tail together, and end with a mark."""
    words = " ".join(part for part in (middle, sentence.tail) if part)
    if sentence.lead:
        words = f"{sentence.lead}, {words}"
    return capitalise(words) + mark


def statement(sentence: Sentence) -> str:
    """'Tobin ran to the harbour.'"""
    return join_parts(sentence, f"{sentence.who} {sentence.past} {sentence.rest}", ".")


def negative(sentence: Sentence) -> str:
    """'Tobin did not run to the harbour.'"""
    return join_parts(sentence, f"{sentence.who} did not {sentence.base} {sentence.rest}", ".")


def question(sentence: Sentence) -> str:
    """'Did Tobin run to the harbour?' (only for a sentence without a lead)."""
    if sentence.lead:
        raise ValueError("a question is made only from a sentence without a lead")
    return join_parts(sentence, f"Did {sentence.who} {sentence.base} {sentence.rest}", "?")


def who_question(sentence: Sentence) -> str:
    """'Who ran to the harbour?' (only for a sentence without a lead)."""
    if sentence.lead:
        raise ValueError("a question is made only from a sentence without a lead")
    return join_parts(sentence, f"Who {sentence.past} {sentence.rest}", "?")


def about(sentence: Sentence, who: str) -> Sentence:
    """The same sentence about someone else."""
    return dataclasses.replace(sentence, who=who)


def pick_thing(rng: random.Random) -> str:
    """A thing as a sentence names it: 'the kite', 'a red kite', 'the blue hat'."""
    thing = rng.choice(THINGS)
    shape = rng.randrange(3)
    if shape == 0:
        return f"the {thing}"
    if shape == 1:
        return with_article(f"{rng.choice(COLOURS)} {thing}")
    return f"the {rng.choice(COLOURS)} {thing}"


def pick_sentence(rng: random.Random, names: tuple[str, ...], story: bool = True) -> Sentence:
    """Someone went somewhere, or did something to a thing; sometimes where or when.

    A story sentence (``story=True``) may start with a time; one that becomes a question or a
    'did not' may only end with one.
    """
    who = rng.choice(names)
    if rng.random() < 0.4:
        past, base = rng.choice(MOTION_VERBS)
        rest = f"to {rng.choice(PLACE_NAMES)}"
    else:
        past, base = rng.choice(THING_VERBS)
        rest = pick_thing(rng)
        if rng.random() < 0.4:  # where, or (below) when, but not both: sentences stay short
            return Sentence(who, past, base, f"{rest} {rng.choice(PLACES_AT)}")
    if rng.random() < 0.5:
        return Sentence(who, past, base, rest)
    if story and rng.random() < 0.5:
        return Sentence(who, past, base, rest, lead=rng.choice(TIME_PHRASES + STORY_TIMES))
    return Sentence(who, past, base, rest, tail=rng.choice(TIME_PHRASES))


def anyone(rng: random.Random) -> tuple[str, ...]:
    """Who a sentence may be about: usually the children, sometimes the grown-ups."""
    return GROWN_UPS if rng.random() < 0.25 else CHILD_NAMES


def first_word(text: str) -> str:
    """The first word of a sentence, without punctuation."""
    return re.findall(r"[\w']+", text)[0]


def last_word(text: str) -> str:
    """The last word of a sentence, without punctuation."""
    return re.findall(r"[\w']+", text)[-1]


# ---------------------------------------------------------------------------------------------
# Task families
# ---------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Task:
    """A family of entries: wordings of one instruction, and how to draw one question.

    ``draw(rng)`` returns the fields that fill a wording's holes ({word}, {new}, ...), the
    input and the output. A wording with a {word} hole names what it asks about, so its entry
    has no input; every other wording comes with the input.
    """

    name: str
    wordings: tuple[str, ...]
    draw: Callable[[random.Random], Drawn]


def draw_plural(rng: random.Random) -> Drawn:
    """A noun and its plural."""
    noun = rng.choice(NOUNS)
    return {}, noun, plural_of(noun)


def draw_singular(rng: random.Random) -> Drawn:
    """A plural and its noun."""
    plural = rng.choice(sorted(SINGULARS))
    return {}, plural, SINGULARS[plural]


def draw_opposite(rng: random.Random) -> Drawn:
    """A word and its opposite; the word is in the instruction or in the input."""
    word = rng.choice(sorted(OPPOSITES))
    return {"word": word}, word, OPPOSITES[word]


def draw_first_word(rng: random.Random) -> Drawn:
    """A sentence and its first word."""
    text = statement(pick_sentence(rng, anyone(rng)))
    return {}, text, first_word(text)


def draw_last_word(rng: random.Random) -> Drawn:
    """A sentence and its last word."""
    text = statement(pick_sentence(rng, anyone(rng)))
    return {}, text, last_word(text)


def draw_reverse(rng: random.Random) -> Drawn:
    """Two to four words and the same words from last to first."""
    words = rng.sample(LIST_WORDS, rng.randint(2, 4))
    return {}, ", ".join(words), ", ".join(reversed(words))


def draw_rename(rng: random.Random) -> Drawn:
    """A sentence about one child, and the same sentence about another."""
    sentence = pick_sentence(rng, CHILD_NAMES)
    new = rng.choice([name for name in CHILD_NAMES if name != sentence.who])
    fields = {"old": sentence.who, "new": new}
    return fields, statement(sentence), statement(about(sentence, new))


def draw_negative(rng: random.Random) -> Drawn:
    """A sentence and the same sentence with 'did not'."""
    sentence = pick_sentence(rng, anyone(rng), story=False)
    return {}, statement(sentence), negative(sentence)


def draw_question(rng: random.Random) -> Drawn:
    """A sentence and the question 'Did ... ?' that asks whether it happened."""
    sentence = pick_sentence(rng, anyone(rng), story=False)
    return {}, statement(sentence), question(sentence)


def draw_capitals(rng: random.Random) -> Drawn:
    """A short sentence in small letters, and the same sentence written properly.

    Names in small letters cost the tokenizer several tokens each, so the sentence is short.
    """
    while True:
        text = statement(pick_sentence(rng, anyone(rng)))
        if len(text.split()) <= CAPITALS_MAX_WORDS:
            return {}, text.lower(), text


def draw_end_mark(rng: random.Random) -> Drawn:
    """A statement or a question without its end mark, and with it."""
    sentence = pick_sentence(rng, anyone(rng), story=False)
    shape = rng.randrange(4)
    if shape == 0:
        text = question(sentence)
    elif shape == 1:
        text = who_question(sentence)
    else:
        text = statement(sentence)
    return {}, text[:-1], text


def draw_colour(rng: random.Random) -> Drawn:
    """A sentence about two things of different colours, and the colour of one of them."""
    things = rng.sample(THINGS, 2)
    colours = rng.sample(COLOURS, 2)
    past, base = rng.choice(HAVING_VERBS)
    rest = " and ".join(with_article(f"{c} {t}") for c, t in zip(colours, things, strict=True))
    if rng.random() < 0.3:
        rest += " " + rng.choice(PLACES_AT)
    text = statement(Sentence(rng.choice(anyone(rng)), past, base, rest))
    asked = rng.randrange(2)
    return {"thing": things[asked]}, text, colours[asked]


TASKS = {
    task.name: task
    for task in (
        Task(
            "plural",
            (
                "Write the plural of this word.",
                "Make this word plural.",
                "Make this word mean more than one.",
                "What is the word for more than one?",
            ),
            draw_plural,
        ),
        Task(
            "singular",
            (
                "Write the singular of this word.",
                "Make this word singular.",
                "Make this word mean just one.",
                "What is the word for just one?",
            ),
            draw_singular,
        ),
        Task(
            "opposite",
            (
                "What is the opposite of {word}?",
                "What word means the opposite of {word}?",
                "Give a word that means the opposite of {word}.",
                "Write the opposite of this word.",
                "Give the opposite of this word.",
            ),
            draw_opposite,
        ),
        Task(
            "first_word",
            (
                "What is the first word of this sentence?",
                "Which word comes first?",
                "Write only the first word.",
                "Say the first word and nothing else.",
            ),
            draw_first_word,
        ),
        Task(
            "last_word",
            (
                "What is the last word of this sentence?",
                "Which word comes last?",
                "Write only the last word, without the full stop.",
                "Say the last word and nothing else.",
            ),
            draw_last_word,
        ),
        Task(
            "reverse",
            (
                "Write this list in reverse order.",
                "Say them again, from the last to the first.",
                "Write them again, from the last one back to the first.",
                "Say them in reverse order.",
            ),
            draw_reverse,
        ),
        Task(
            "rename",
            (
                "Change the name to {new}.",
                "Use the name {new} instead.",
                "Write this again with {new} instead of {old}.",
                "Put {new} in place of {old}.",
                "Replace {old} with {new}.",
            ),
            draw_rename,
        ),
        Task(
            "negative",
            (
                "Make this negative.",
                "Make this sentence negative.",
                "Say that this did not happen.",
                "Change it to say what did not happen.",
            ),
            draw_negative,
        ),
        Task(
            "question",
            (
                "Turn this into a question.",
                "Make this a question.",
                "Ask this as a question.",
                "Write a question that asks if this happened.",
            ),
            draw_question,
        ),
        Task(
            "capitals",
            (
                "Fix the capital letters.",
                "Put in the missing capital letters.",
                "Add capital letters where they are needed.",
                "Put in the capital letters.",
            ),
            draw_capitals,
        ),
        Task(
            "end_mark",
            (
                "Add a full stop or a question mark.",
                "Put the right mark at the end.",
                "End this with a full stop or a question mark.",
                "Finish it with a full stop or a question mark.",
            ),
            draw_end_mark,
        ),
        Task(
            "colour",
            (
                "What colour was the {thing}?",
                "Which colour was the {thing}?",
                "Say the colour of the {thing}.",
                "What colour is the {thing} in this sentence?",
            ),
            draw_colour,
        ),
    )
}
# A held-out plural, singular or opposite is asked only if its partner, the entry that asks it
# backwards (hot -> cold for cold -> hot, mouse -> mice for mice -> mouse), stays in training:
# the partner is in this family, or in the family named here.
PARTNER_FAMILY = {"opposite": "opposite", "plural": "singular", "singular": "plural"}

# ---------------------------------------------------------------------------------------------
# Entries: making, recognising, splitting
# ---------------------------------------------------------------------------------------------

HOLE = re.compile(r"\{(\w+)\}")  # '{word}' in a wording


def wording_pattern(wording: str) -> re.Pattern:
    """A regular expression that matches a wording with its holes filled."""
    parts = HOLE.split(wording)  # text, hole name, text, hole name, ..., text
    return re.compile(
        "".join(f"(?P<{part}>.+)" if i % 2 else re.escape(part) for i, part in enumerate(parts))
    )


PATTERNS = tuple(
    (task.name, wording_pattern(wording)) for task in TASKS.values() for wording in task.wordings
)


def task_of(entry: Entry) -> str:
    """The family an entry belongs to, recognised from its instruction."""
    names = {name for name, pattern in PATTERNS if pattern.fullmatch(entry["instruction"])}
    if len(names) != 1:
        raise ValueError(f"{entry['instruction']!r} matches {len(names)} families, not one")
    return names.pop()


def subject_of(entry: Entry) -> str:
    """What an entry asks about: its input, or else the word its instruction names."""
    if entry["input"]:
        return entry["input"]
    for _, pattern in PATTERNS:
        match = pattern.fullmatch(entry["instruction"])
        if match and "word" in match.groupdict():
            return match["word"]
    raise ValueError(f"{entry['instruction']!r} names no word and has no input")


def make_entry(task: Task, rng: random.Random) -> Entry:
    """One entry of a family: draw a question, choose a wording, fill its holes.

    A wording with a '{word}' hole carries the question itself, so its input is left empty.
    """
    fields, text, answer = task.draw(rng)
    wording = rng.choice(task.wordings)
    has_word = "word" in HOLE.findall(wording)
    return {
        "instruction": wording.format(**fields),
        "input": "" if has_word else text,
        "output": answer,
    }


def family_sizes(split_sizes: dict[str, int] = SPLIT_SIZES) -> dict[str, dict[str, int]]:
    """How many entries of each family go to each split: as even as the sizes allow."""
    names = list(TASKS)
    sizes: dict[str, dict[str, int]] = {name: {} for name in names}
    first_extra = 0  # the left-over entries of each split go to the next families in turn
    for split, total in split_sizes.items():
        share, extra = divmod(total, len(names))
        for i, name in enumerate(names):
            sizes[name][split] = share + ((i - first_extra) % len(names) < extra)
        first_extra += extra
    return sizes


def entry_rng(seed: int, name: str, index: int) -> random.Random:
    """The random generator of one draw: a str seed is hashed the same way on every run."""
    return random.Random(f"instructions-{seed}-{name}-{index}")


def generate_family(name: str, count: int, seed: int = SEED) -> list[Entry]:
    """count entries of one family, each about a different subject."""
    entries, seen = [], set()
    for index in range(count * 50):
        entry = make_entry(TASKS[name], entry_rng(seed, name, index))
        if subject_of(entry) not in seen:
            seen.add(subject_of(entry))
            entries.append(entry)
            if len(entries) == count:
                return entries
    raise ValueError(f"{name} has fewer than {count} different subjects")


def generate_entries(seed: int = SEED, split_sizes: dict[str, int] = SPLIT_SIZES) -> list[Entry]:
    """The pool to split: for every family, as many entries as its splits need, all unique."""
    pool = []
    for name, sizes in family_sizes(split_sizes).items():
        pool += generate_family(name, sum(sizes.values()), seed)
    return pool


def split_entries(
    entries: list[Entry], seed: int = SEED, split_sizes: dict[str, int] = SPLIT_SIZES
) -> dict[str, list[Entry]]:
    """Split a pool into train, val and test, family by family, after a seeded shuffle.

    Each family gives every split its share (``family_sizes``), and the pool holds each
    family's subjects once, so no subject is in two splits for the same family. The first
    entries of the shuffled family that may be held out go to test, then val; the rest train.
    ``split_sizes`` names the three splits: train, val and test.
    """
    by_family: dict[str, list[Entry]] = {name: [] for name in TASKS}
    for entry in entries:
        by_family[task_of(entry)].append(entry)
    subjects = {name: {subject_of(e) for e in family} for name, family in by_family.items()}
    held: dict[str, set[str]] = {name: set() for name in TASKS}  # subjects out of training
    kept: dict[str, set[str]] = {name: set() for name in TASKS}  # subjects that must stay in
    splits: dict[str, list[Entry]] = {split: [] for split in split_sizes}
    for name, sizes in family_sizes(split_sizes).items():
        family = list(by_family[name])
        if len(family) != sum(sizes.values()):
            raise ValueError(f"{name} has {len(family)} entries, not {sum(sizes.values())}")
        random.Random(f"instructions-split-{seed}-{name}").shuffle(family)
        for split in ("test", "val"):
            for _ in range(sizes[split]):
                entry = next(
                    (e for e in family if may_hold_out(name, e, subjects, held, kept)), None
                )
                if entry is None:
                    raise ValueError(f"too few entries of {name} may be held out")
                family.remove(entry)
                held[name].add(subject_of(entry))
                if name in PARTNER_FAMILY:
                    kept[PARTNER_FAMILY[name]].add(entry["output"])
                splits[split].append(entry)
        splits["train"] += family
    for split, chosen in splits.items():
        random.Random(f"instructions-order-{seed}-{split}").shuffle(chosen)
    return splits


def may_hold_out(
    name: str,
    entry: Entry,
    subjects: dict[str, set[str]],
    held: dict[str, set[str]],
    kept: dict[str, set[str]],
) -> bool:
    """Whether an entry may leave training: it is not needed there, and its partner stays."""
    if subject_of(entry) in kept[name]:
        return False
    if name not in PARTNER_FAMILY:
        return True
    partner_family, partner = PARTNER_FAMILY[name], entry["output"]
    return partner in subjects[partner_family] and partner not in held[partner_family]


# ---------------------------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------------------------


def make_splits(seed: int = SEED) -> dict[str, list[Entry]]:
    """The three splits the data files hold."""
    return split_entries(generate_entries(seed), seed)


def entries_json(entries: list[Entry]) -> str:
    """A split as the data file stores it: a JSON list, one field per line, UTF-8."""
    return json.dumps(entries, indent=1, ensure_ascii=False) + "\n"


def write_instructions(data_dir: Path = DATA_DIR) -> list[Path]:
    """Write the training, validation and test files; the same bytes on every run."""
    paths = []
    for split, entries in make_splits().items():
        path = Path(data_dir) / SPLIT_FILES[split]
        path.write_text(entries_json(entries), encoding="utf-8", newline="\n")
        paths.append(path)
    return paths


def read_instructions(name: str) -> list[Entry]:
    """The entries of one data file, by name: read_instructions(TRAIN_FILE)."""
    path = DATA_DIR / name
    if not path.is_file():
        raise FileNotFoundError(
            f"no {name} in {DATA_DIR}: run python -m helpers.corpora.instruction_data to write it"
        )
    entries = json.loads(path.read_text(encoding="utf-8"))
    for index, entry in enumerate(entries):
        fields_ok = isinstance(entry, dict) and set(entry) == set(FIELDS)
        if not fields_ok or not all(isinstance(entry[field], str) for field in FIELDS):
            raise ValueError(f"{name}: entry {index} is not a dict of the strings {FIELDS}")
    return entries


if __name__ == "__main__":
    for written in write_instructions():
        print(f"wrote {written} ({len(read_instructions(written.name))} entries)")
