"""Instructions and answers in the world of Saltmere, from tables and tales: data for finetuning.

Chapter 7 teaches the course's small pretrained GPT to follow instructions. Its data is a list
of entries, each a dict with an ``instruction``, an ``input`` (``""`` when the instruction says
it all) and the ``output`` the model should learn to write, for example::

    {"instruction": "What is the last word of this sentence?",
     "input": "Mara ran to the harbour.", "output": "harbour"}

A 1.6M-parameter model that has read only children's stories cannot learn new facts from a few
thousand examples, so every family here asks for something the input already holds: a word to
find, a sentence to change, a question about a short story to answer from the story. Every
answer can be worked out from its own prompt, and every word of it is a word of the stories.

What is left out, and why:
- pairs the model would have to know both ways (the opposite of "cold" tested after "hot" ->
  "cold" was trained; the singular of "mice"): a model trained on A -> B does not learn B -> A;
- families where copying the input gives the same words in another order or case (reverse a
  list, add the end mark, capital letters): a word-overlap score cannot tell them from copying;
- plurals: " boats" is one token and " boat" another, so the answer is knowledge of a pair of
  tokens, not something found in the input;
- real-world knowledge, arithmetic, long answers, and any sentence not in the past tense.

How an entry is made: a task family picks what to ask about, with a seeded ``random.Random``,
from its tables or (for about two fifths of five families' inputs) from the plain sentences of
``data/tales_val.txt``, text the course model never pretrained on, and computes the answer from
the same parts; then one of the family's wordings of the instruction is chosen. A sentence is
kept in parts (who, the verb's two forms, the rest), so that "did not run" and "Did Tobin run
...?" are put together from the parts, never guessed from text. Each family asks about each
*subject* (its input) at most once, so a test input never occurs in the training split of the
same family. Every template was written for this course, and the tales come from the course's
own seeded generator.

Run ``python -m helpers.corpora.instruction_data`` to write ``data/instructions_train.json``,
``data/instructions_val.json`` and ``data/instructions_test.json``; the same command always
writes the same bytes.
"""

import dataclasses
import functools
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
# Entries written by hand in the same families, for evaluation only. The first model's answers
# on the dev set led to the wider word tables below; the test set was written afterwards and
# has chosen nothing.
HANDWRITTEN_DEV_FILE = "instructions_handwritten_dev.json"
HANDWRITTEN_TEST_FILE = "instructions_handwritten_test.json"
HANDWRITTEN_FILES = {
    "handwritten_dev": HANDWRITTEN_DEV_FILE,
    "handwritten_test": HANDWRITTEN_TEST_FILE,
}
SPLIT_SIZES = {"train": 6400, "val": 160, "test": 320}
SPLIT_FILES = {"train": TRAIN_FILE, "val": VAL_FILE, "test": TEST_FILE}
SEED = 2
FIELDS = ("instruction", "input", "output")

Entry = dict[str, str]  # {"instruction": ..., "input": ..., "output": ...}
Drawn = tuple[dict[str, str], str, str]  # a wording's fields, the input, the output

# ---------------------------------------------------------------------------------------------
# Words
# ---------------------------------------------------------------------------------------------

COLOURS = (
    *("red", "blue", "green", "yellow", "orange", "purple", "white", "grey", "brown", "pink"),
    *("black", "gold", "silver"),
)
# Words that describe a thing but are not colours: 'the old kite', 'a muddy boot'.
ADJECTIVES = (
    *("old", "new", "little", "big", "small", "heavy", "wet", "muddy", "broken", "shiny"),
    *("long", "tiny", "empty", "full", "warm", "clean", "dry", "soft", "round", "tall"),
    *("bright", "dark", "striped", "spotted", "woolly", "wooden"),
)
# Things that a sentence can be about: many, so that an answer cannot be guessed, only found.
THINGS = (
    *("kite", "hat", "scarf", "ball", "bucket", "ribbon", "marble", "shell", "lantern", "coat"),
    *("bell", "key", "notebook", "feather", "whistle", "map", "boat", "basket", "blanket"),
    *("bottle", "flag", "jar", "umbrella", "compass", "bowl", "spade", "net", "apple", "pear"),
    *("plum", "cake", "loaf", "cheese", "egg", "book", "letter", "box", "bag", "rope", "ladder"),
    *("chair", "table", "gate", "window", "cart", "wheel", "clock", "cup", "plate", "spoon"),
    *("fork", "candle", "lamp", "sock", "boot", "shoe", "glove", "jumper", "dress", "shirt"),
    *("coin", "ring", "brush", "comb", "broom", "hammer", "bench", "stool", "sack", "parcel"),
    *("drum", "flute", "doll", "puppet", "nest", "fish", "crab", "flower", "rose", "stick"),
    *("log", "stone", "pie", "jug", "mug", "kettle", "pot", "pan", "tray", "hook", "anchor"),
    *("oar", "sail", "towel", "pillow", "quilt", "rug", "mirror", "picture", "card", "stamp"),
    *("pencil", "pen", "string", "button", "needle", "apron", "cap", "hood", "cloak", "carrot"),
    *("potato", "turnip", "pumpkin", "puppy", "kitten", "lamb", "duck", "frog", "snail"),
)

# (past, base) forms of verbs that go somewhere: 'ran to the harbour'.
MOTION_VERBS = (
    *(("ran", "run"), ("walked", "walk"), ("went", "go"), ("hurried", "hurry")),
    *(("raced", "race"), ("came", "come"), ("crept", "creep"), ("rowed", "row")),
    *(("sailed", "sail"), ("cycled", "cycle"), ("wandered", "wander")),
    *(("marched", "march"), ("swam", "swim"), ("climbed", "climb")),
)
# (past, base) forms of verbs that take a thing: 'found the red kite'. Any thing goes with any
# of them, so some sentences are odd ('Mara fed the anchor'): an answer that could be guessed
# from what usually happens would not need to be found in the input.
THING_VERBS = (
    *(("found", "find"), ("lost", "lose"), ("saw", "see"), ("dropped", "drop")),
    *(("carried", "carry"), ("kept", "keep"), ("hid", "hide"), ("picked up", "pick up")),
    *(("had", "have"), ("left", "leave"), ("forgot", "forget"), ("looked for", "look for")),
    *(("took", "take"), ("brought", "bring"), ("painted", "paint"), ("mended", "mend")),
    *(("washed", "wash"), ("cleaned", "clean"), ("fixed", "fix"), ("pushed", "push")),
    *(("pulled", "pull"), ("threw", "throw"), ("caught", "catch"), ("held", "hold")),
    *(("bought", "buy"), ("sold", "sell"), ("lent", "lend"), ("borrowed", "borrow")),
    *(("shared", "share"), ("counted", "count"), ("drew", "draw"), ("wrapped", "wrap")),
    *(("packed", "pack"), ("dried", "dry"), ("shook", "shake"), ("moved", "move")),
    *(("fetched", "fetch"), ("needed", "need"), ("wanted", "want"), ("liked", "like")),
    *(("watched", "watch"), ("followed", "follow"), ("chased", "chase"), ("fed", "feed")),
    *(("polished", "polish"), ("lifted", "lift"), ("hugged", "hug"), ("brushed", "brush")),
    *(("spotted", "spot"), ("used", "use"), ("dragged", "drag"), ("rolled", "roll")),
    *(("tied", "tie"), ("folded", "fold"), ("filled", "fill"), ("opened", "open")),
    *(("made", "make"), ("built", "build"), ("baked", "bake"), ("ate", "eat")),
    *(("hung up", "hang up"), ("showed", "show"), ("sorted", "sort"), ("smelled", "smell")),
)
# The verbs that sound right with 'a red kite and a blue hat'.
HAVING_VERBS = (
    *(("found", "find"), ("lost", "lose"), ("saw", "see"), ("dropped", "drop")),
    *(("carried", "carry"), ("had", "have"), ("bought", "buy"), ("painted", "paint")),
    *(("kept", "keep"), ("wanted", "want"), ("brought", "bring"), ("hid", "hide")),
)
CHILD_NAMES = tuple(child.name for child in CHILDREN)
GROWN_UPS = (
    *("Grandmother Nell", "Uncle Fenwick", "Captain Barnaby", "Mrs Dunlin", "Mr Pike"),
    *("Doctor Bell", "Miss Hartley", "Mr Gale", "Mrs Penrose"),
)
# Animals that do things in a sentence too ('The goat ate the washing.'); never renamed.
ANIMALS = (
    *("the goat", "the dog", "the cat", "the pony", "the donkey", "a gull", "the fox"),
    *("the hens", "the old dog", "a heron", "the ducks", "the kitten"),
)
# Where a sentence goes (its 'to' form is 'to <name>') and where a thing was ('at the harbour').
PLACE_NAMES = (
    *(place.name for place in PLACES),
    *("the kitchen", "the bakery", "the quay", "the barn", "the shop", "the bridge"),
    *("the pond", "the well", "the river", "the church", "the farm", "the lighthouse"),
)
PLACES_AT = (
    *(place.at for place in PLACES),  # 'at the harbour', 'on Lantern Hill'
    *("in the kitchen", "under the bed", "by the door", "behind the shed", "on the table"),
    *("in the attic", "near the well", "in the boat", "on the roof", "under the bridge"),
    *("in the barn", "by the fire", "at the bakery", "on the steps", "in the cupboard"),
)
# When it happened: at the start of a sentence (with a comma) or at its end.
TIME_PHRASES = (
    *("that morning", "that afternoon", "that evening", "after school", "before supper"),
    *("after lunch", "at noon", "that night", "at night", "before breakfast", "after tea"),
    *(f"on {day}" for day in DAYS),
)
# Times that only start a sentence: 'One morning, ...' ('Did Mara ... one morning?' is odd).
STORY_TIMES = ("one morning", "one evening")
STORY_SENTENCES = (2, 4)  # a story to answer questions about has 2 to 4 sentences

# ---------------------------------------------------------------------------------------------
# Sentences kept in parts
# ---------------------------------------------------------------------------------------------


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


def about(sentence: Sentence, who: str) -> Sentence:
    """The same sentence about someone else."""
    return dataclasses.replace(sentence, who=who)


def pick_thing(rng: random.Random) -> str:
    """A thing as a sentence names it: 'the kite', 'a red kite', 'the old blue hat'."""
    thing = rng.choice(THINGS)
    words = {
        0: [],
        1: [rng.choice(COLOURS)],
        2: [rng.choice(ADJECTIVES)],
        3: [rng.choice(ADJECTIVES), rng.choice(COLOURS)],
    }[rng.randrange(4)]
    phrase = " ".join([*words, thing])
    return with_article(phrase) if rng.random() < 0.5 else f"the {phrase}"


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
    """Who a sentence may be about: usually the children, sometimes grown-ups or animals."""
    draw = rng.random()
    return GROWN_UPS if draw < 0.2 else ANIMALS if draw < 0.35 else CHILD_NAMES


def first_word(text: str) -> str:
    """The first word of a sentence, without punctuation."""
    return re.findall(r"[\w']+", text)[0]


def last_word(text: str) -> str:
    """The last word of a sentence, without punctuation."""
    return re.findall(r"[\w']+", text)[-1]


# ---------------------------------------------------------------------------------------------
# Sentences from the tales, for inputs that no table would write
# ---------------------------------------------------------------------------------------------

CORPUS_FILE = "tales_val.txt"  # the course model's validation tales: never pretrained on
CORPUS_SHARE = 0.5  # of the first word, last word, rename, did not and question inputs
CORPUS_WORDS = (5, 14)  # a sentence taken from the tales has 5 to 14 words
# Two-word verbs first, so that 'picked up' is not read as 'picked'; 'had' is left out, because
# in the tales it is mostly a helper ('had decided'), which 'did not have' would get wrong.
CORPUS_VERBS = {
    past: base
    for past, base in sorted((*THING_VERBS, *MOTION_VERBS), key=lambda pair: -len(pair[0]))
    if past != "had"
}


@functools.cache
def corpus_sentences() -> tuple[str, ...]:
    """The plain sentences of the validation tales: no speech, no digits, 5 to 14 words."""
    text = (DATA_DIR / CORPUS_FILE).read_text(encoding="utf-8")
    found = set()
    for sentence in re.split(r"(?<=[.!?])\s+|\n+", text):
        words = sentence.split()
        plain = sentence.endswith(".") and not re.search(r"[\"0-9;:()]", sentence)
        if plain and CORPUS_WORDS[0] <= len(words) <= CORPUS_WORDS[1]:
            found.add(sentence)
    return tuple(sorted(found))


@functools.cache
def corpus_events(names: tuple[str, ...]) -> tuple[Sentence, ...]:
    """Tale sentences that start with one of names and a verb of the tables, kept in parts."""
    events = []
    for sentence in corpus_sentences():
        who = next((n for n in names if sentence.startswith(f"{n} ")), None)
        rest = sentence[len(who) + 1 : -1] if who else ""
        past = next((p for p in CORPUS_VERBS if rest.startswith(f"{p} ")), None)
        if past:
            events.append(Sentence(who, past, CORPUS_VERBS[past], rest[len(past) + 1 :]))
    return tuple(events)


def pick_input(rng: random.Random, names: tuple[str, ...], story: bool = True) -> Sentence:
    """A sentence in parts: from the tales (CORPUS_SHARE of the time) or from the tables."""
    if rng.random() < CORPUS_SHARE and corpus_events(names):  # the tales name no animal first
        return rng.choice(corpus_events(names))
    return pick_sentence(rng, names, story)


# ---------------------------------------------------------------------------------------------
# Short stories to answer questions about
# ---------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Event:
    """One sentence of a short story, in the parts a question can ask about."""

    who: str  # 'Mara'
    past: str  # 'found'
    base: str  # 'find'
    thing: str = ""  # 'the red kite'; empty for a verb that goes somewhere
    where: str = ""  # 'to the harbour', 'at the harbour'
    when: str = ""  # 'on Monday'

    def text(self) -> str:
        """'Mara found the red kite at the harbour on Monday.'"""
        return (
            " ".join(p for p in (self.who, self.past, self.thing, self.where, self.when) if p) + "."
        )

    def did(self) -> str:
        """What the event did, without who or when: 'found the red kite at the harbour'."""
        return " ".join(p for p in (self.past, self.thing, self.where) if p)


def pick_event(rng: random.Random, who: str, past: str, base: str, thing_verb: bool) -> Event:
    """An event of a short story: a verb that takes a thing, or one that goes somewhere."""
    if not thing_verb:
        where, thing = f"to {rng.choice(PLACE_NAMES)}", ""
    else:
        thing = pick_thing(rng)
        where = rng.choice(PLACES_AT) if rng.random() < 0.5 else ""
    when = rng.choice(TIME_PHRASES) if rng.random() < 0.5 else ""
    return Event(who, past, base, thing, where, when)


def pick_story(rng: random.Random) -> list[Event]:
    """2 to 4 events, each with its own person and verb, so that every question has one answer."""
    count = rng.randint(*STORY_SENTENCES)
    people = (
        rng.sample(CHILD_NAMES, count)
        if rng.random() < 0.7
        else rng.sample(CHILD_NAMES + GROWN_UPS, count)
    )
    verbs = rng.sample(
        [(*v, False) for v in MOTION_VERBS] + [(*v, True) for v in THING_VERBS], count
    )
    return [
        pick_event(rng, who, past, base, thing)
        for who, (past, base, thing) in zip(people, verbs, strict=True)
    ]


def story_questions(event: Event) -> list[tuple[str, str]]:
    """Every (question, answer) one event allows; the answer is a part of the story's text."""
    object_ = " ".join(p for p in (event.base, event.thing) if p)  # 'find the red kite', 'run'
    found = [(f"What did {event.who} {event.base}?", event.thing)] if event.thing else []
    if event.where:
        found.append((f"Where did {event.who} {object_}?", event.where))
    if event.when:
        found.append((f"When did {event.who} {object_}?", event.when))
    return found


# ---------------------------------------------------------------------------------------------
# Task families
# ---------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Task:
    """A family of entries: wordings of one instruction, and how to draw one question.

    ``draw(rng)`` returns the fields that fill a wording's holes ({old}, {question}, ...), the
    input and the output.
    """

    name: str
    wordings: tuple[str, ...]
    draw: Callable[[random.Random], Drawn]


def any_sentence(rng: random.Random) -> str:
    """Any plain sentence of the tales (CORPUS_SHARE of the time), or one from the tables."""
    if rng.random() < CORPUS_SHARE:
        return rng.choice(corpus_sentences())
    return statement(pick_sentence(rng, anyone(rng)))


def draw_first_word(rng: random.Random) -> Drawn:
    """A sentence and its first word."""
    text = any_sentence(rng)
    return {}, text, first_word(text)


def draw_last_word(rng: random.Random) -> Drawn:
    """A sentence and its last word."""
    text = any_sentence(rng)
    return {}, text, last_word(text)


def draw_colour(rng: random.Random) -> Drawn:
    """A sentence about two things of different colours, and the colour of one of them.

    The sentence takes one of four shapes, so the colour is found by the thing it goes with,
    not by where it stands: 'Mara had a red kite and a blue hat.', 'The kite was red and the
    hat was blue.', 'Mara painted the red kite, not the blue hat.', 'Mara had a red kite, but
    Tobin had a blue hat.'
    """
    things = rng.sample(THINGS, 2)
    colours = rng.sample(COLOURS, 2)
    (past, base), who = rng.choice(HAVING_VERBS), rng.choice(anyone(rng))
    shape = rng.randrange(4)
    if shape == 1:
        text = f"The {things[0]} was {colours[0]} and the {things[1]} was {colours[1]}."
    elif shape == 2:
        rest = f"the {colours[0]} {things[0]}, not the {colours[1]} {things[1]}"
        text = statement(Sentence(who, past, base, rest))
    elif shape == 3:
        other = rng.choice([name for name in CHILD_NAMES if name != who])
        first, second = (with_article(f"{c} {t}") for c, t in zip(colours, things, strict=True))
        text = statement(Sentence(who, past, base, f"{first}, but {other} {past} {second}"))
    else:
        rest = " and ".join(with_article(f"{c} {t}") for c, t in zip(colours, things, strict=True))
        if rng.random() < 0.3:
            rest += " " + rng.choice(PLACES_AT)
        text = statement(Sentence(who, past, base, rest))
    asked = rng.randrange(2)
    return {"thing": things[asked]}, text, colours[asked]


def draw_rename(rng: random.Random) -> Drawn:
    """A sentence about one child, and the same sentence about another, wherever it names them."""
    sentence = pick_input(rng, CHILD_NAMES)
    text = statement(sentence)
    new = rng.choice([name for name in CHILD_NAMES if not re.search(rf"\b{name}\b", text)])
    fields = {"old": sentence.who, "new": new}
    return fields, text, re.sub(rf"\b{sentence.who}\b", new, text)


def draw_negative(rng: random.Random) -> Drawn:
    """A sentence and the same sentence with 'did not'."""
    sentence = pick_input(rng, anyone(rng), story=False)
    return {}, statement(sentence), negative(sentence)


def draw_question(rng: random.Random) -> Drawn:
    """A sentence and the question 'Did ... ?' that asks whether it happened."""
    sentence = pick_input(rng, anyone(rng), story=False)
    return {}, statement(sentence), question(sentence)


def story_text(story: list[Event]) -> str:
    """The events one after another: the input of a story question."""
    return " ".join(event.text() for event in story)


def draw_story_who(rng: random.Random) -> Drawn:
    """A short story, and who did one of its things: 'Who found the red kite?' -> 'Mara'."""
    story = pick_story(rng)
    event = rng.choice(story)
    return {"question": f"Who {event.did()}?"}, story_text(story), event.who


def draw_story_what(rng: random.Random) -> Drawn:
    """A short story, and what, where or when one of its events was, in the story's words."""
    story = pick_story(rng)
    asked, answer = rng.choice([qa for event in story for qa in story_questions(event)])
    return {"question": asked}, story_text(story), answer


TASKS = {
    task.name: task
    for task in (
        Task(
            "first word",
            (
                "What is the first word of this sentence?",
                "Write the first word of the sentence.",
                "Which word comes first in this sentence?",
                "Give the first word.",
            ),
            draw_first_word,
        ),
        Task(
            "last word",
            (
                "What is the last word of this sentence?",
                "Write the last word of the sentence.",
                "Which word comes last in this sentence?",
                "Give the last word.",
            ),
            draw_last_word,
        ),
        Task(
            "colour",
            (
                "What colour was the {thing}?",
                "Which colour was the {thing} in this sentence?",
                "Read the sentence and say the colour of the {thing}.",
                "Give the colour of the {thing}.",
            ),
            draw_colour,
        ),
        Task(
            "rename",
            (
                "Write the sentence again about {new} instead of {old}.",
                "Change {old} to {new} in this sentence.",
                "Put {new} in the place of {old}.",
                "Tell the same thing about {new}, not {old}.",
            ),
            draw_rename,
        ),
        Task(
            "did not",
            (
                "Write the sentence with did not.",
                "Say that it did not happen.",
                "Change the sentence so that it did not happen.",
                "Write the opposite sentence with did not.",
            ),
            draw_negative,
        ),
        Task(
            "question",
            (
                "Turn this sentence into a question.",
                "Ask a question with did about this sentence.",
                "Write the question that asks if this happened.",
                "Make this sentence a question.",
            ),
            draw_question,
        ),
        Task(
            "story who",
            (
                "Read the story, then answer: {question}",
                "Answer from the story. {question}",
                "{question} Use the story to answer.",
                "Look at the story. {question}",
            ),
            draw_story_who,
        ),
        Task(
            "story what",
            (
                "Read the story, then answer this: {question}",
                "Answer from the story: {question}",
                "{question} Find it in the story.",
                "Look in the story. {question}",
            ),
            draw_story_what,
        ),
    )
}

# ---------------------------------------------------------------------------------------------
# Recognising an entry's family, and making entries
# ---------------------------------------------------------------------------------------------

HOLE = re.compile(r"\{(\w+)\}")  # '{old}' in a wording
HOLE_PATTERNS = {"question": r"(?P<question>(?:Who|What|Where|When) [^?]+\?)"}


def wording_pattern(wording: str) -> re.Pattern:
    """A regular expression that matches a wording with its holes filled."""
    parts = HOLE.split(wording)  # text, hole name, text, hole name, ..., text
    pieces = []
    for i, part in enumerate(parts):
        if i % 2 == 0:
            pieces.append(re.escape(part))
        else:
            pieces.append(HOLE_PATTERNS.get(part, f"(?P<{part}>.+)"))
    return re.compile("".join(pieces))


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
    """What an entry asks about: its input (every family here has one)."""
    if not entry["input"]:
        raise ValueError(f"{entry['instruction']!r} has no input")
    return entry["input"]


def make_entry(task: Task, rng: random.Random) -> Entry:
    """One entry of a family: draw a question, choose a wording, fill its holes."""
    fields, text, answer = task.draw(rng)
    wording = rng.choice(task.wordings)
    return {"instruction": wording.format(**fields), "input": text, "output": answer}


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
    entries of the shuffled family go to test, then val; the rest train. ``split_sizes`` names
    the three splits: train, val and test.
    """
    by_family: dict[str, list[Entry]] = {name: [] for name in TASKS}
    for entry in entries:
        by_family[task_of(entry)].append(entry)
    splits: dict[str, list[Entry]] = {split: [] for split in split_sizes}
    for name, sizes in family_sizes(split_sizes).items():
        family = list(by_family[name])
        if len(family) != sum(sizes.values()):
            raise ValueError(f"{name} has {len(family)} entries, not {sum(sizes.values())}")
        random.Random(f"instructions-split-{seed}-{name}").shuffle(family)
        splits["test"] += family[: sizes["test"]]
        splits["val"] += family[sizes["test"] : sizes["test"] + sizes["val"]]
        splits["train"] += family[sizes["test"] + sizes["val"] :]
    for split, chosen in splits.items():
        random.Random(f"instructions-order-{seed}-{split}").shuffle(chosen)
    return splits


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
