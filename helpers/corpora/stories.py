"""Simple stories set in Saltmere, made from templates: a larger, seeded text to pretrain on.

``the_weather_clock.txt`` is one story of about 8,000 GPT-2 tokens: enough to watch a model
memorise, too little to watch it learn. This module writes thousands of short children's stories
in the same world (Mara, Tobin, Grandmother Nell, the harbour, the marsh, the weather clock),
so that a small GPT must learn grammar and the shape of a story rather than copy sentences.

How a story is made: pick a plot (a lost thing, an animal in trouble, a storm warning, ...),
one of that plot's troubles, a cast, a place, a season and its weather; then write an opening,
the plot's paragraphs and a closing, choosing one of several templates for every sentence.
A template is plain text with two kinds of holes:

- ``{hero}``, ``{hero.his}``, ``{thing.a}``: a word from the story's cast, so that pronouns
  (he, she or they), a/an and plural verbs agree; a capital letter (``{hero.He}``) asks for one;
- ``[quickly|slowly]``: pick one of the choices.

A template that starts with ``hero:``, ``friend:`` or ``elder:`` is a line of dialogue; the
speaker's name and a verb of saying are added around it in one of a few shapes.

What it leaves out: stories do not remember each other, there is no long plot, the grammar is
only as good as the templates (narration is always in the past tense), and the vocabulary is
closed: under two thousand words. Every template was written for this course.

Run ``python -m helpers.corpora.stories`` to write ``data/stories_train.txt`` and
``data/stories_val.txt``; the same command always writes the same bytes.
"""

import random
import re
from dataclasses import dataclass
from pathlib import Path

from helpers.paths import DATA_DIR

STORY_SEPARATOR = "\n<|endoftext|>\n"
TRAIN_FILE = "stories_train.txt"
VAL_FILE = "stories_val.txt"
TRAIN_STORIES = 2500
VAL_STORIES = 150
TRAIN_SEED = 1  # the two splits use different seeds, so they share no story
VAL_SEED = 2
MAX_WORDS = 200  # a longer draft is thrown away and written again

# A slot is a plain word, or a dict of the forms of one word ("" is the plain form).
Slots = dict[str, "str | dict[str, str]"]
# A beat is one sentence of a paragraph: a tuple of templates, one of which is chosen.
Beat = tuple[str, ...]

# ---------------------------------------------------------------------------------------------
# Words: a/an, numbers, pronouns
# ---------------------------------------------------------------------------------------------

NUMBER_WORDS = (
    *("zero", "one", "two", "three", "four", "five", "six"),
    *("seven", "eight", "nine", "ten", "eleven", "twelve"),
)

# Words that start with a vowel letter but not a vowel sound, and the other way round.
A_BEFORE = ("one", "uni", "use", "eu")
AN_BEFORE = ("hour", "honest")


def with_article(phrase: str) -> str:
    """Put 'a' or 'an' in front of a noun phrase: 'an old boot', 'a useful tool'."""
    lower = phrase.lower()
    vowel_sound = lower[0] in "aeiou" and not lower.startswith(A_BEFORE)
    if vowel_sound or lower.startswith(AN_BEFORE):
        return "an " + phrase
    return "a " + phrase


PRONOUNS = {
    "he": {"he": "he", "him": "him", "his": "his", "was": "was", "is": "is", "has": "has"},
    "she": {"he": "she", "him": "her", "his": "her", "was": "was", "is": "is", "has": "has"},
    "they": {
        "he": "they",
        "him": "them",
        "his": "their",
        "was": "were",
        "is": "are",
        "has": "have",
    },
}
CHILD_NOUN = {"he": "boy", "she": "girl", "they": "child"}
SIBLING_NOUN = {"he": "brother", "she": "sister", "they": "sibling"}

# ---------------------------------------------------------------------------------------------
# The people of Saltmere
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """Someone in the stories: a name, a pronoun, and what a story may say about them."""

    name: str
    pronoun: str  # "he", "she" or "they"
    age: int = 0  # 0 for grown-ups
    family: str = ""  # the Quills are Mara and Tobin's family
    trait: str = ""  # a children's 'who ...' clause, in the past tense
    home: str = ""
    title: str = ""  # how a grown-up is first introduced to someone outside the family
    call: str = ""  # how children outside the family speak to a grown-up
    kin: str = ""  # what a grown-up is to Mara and Tobin: "grandmother Nell"
    kin_call: str = ""  # how Mara and Tobin speak to them: "Grandmother"
    friend_call: str = ""  # how the hero's friend speaks of them, if not by ``call``


# The children of Saltmere: (name, pronoun, age, where they live, a trait of their own).
CHILD_TABLE = (
    ("Mara", "she", 12, "at the top of Lantern Hill", "had a grey coat with red buttons"),
    ("Tobin", "he", 8, "at the top of Lantern Hill", "asked more questions than the sea has waves"),
    ("Lily", "she", 9, "by the harbour", "loved boats more than anything"),
    ("Sam", "he", 10, "in Bramble Lane", "could whistle like a blackbird"),
    ("Rosa", "she", 7, "near the mill", "kept a tin full of shells under {hero.his} bed"),
    ("Finn", "he", 11, "above the fish market", "wanted to be a sailor when {hero.he} grew up"),
    ("Nia", "she", 8, "near Heron Pool", "knew the name of every bird on the marsh"),
    ("Ben", "he", 6, "behind the church", "was never without a pencil behind {hero.his} ear"),
    ("Elsie", "she", 10, "by the village green", "laughed louder than anyone at school"),
    ("Kit", "they", 9, "next to the inn", "could run faster than anyone in Saltmere"),
    ("Milo", "he", 7, "in a cottage by the dunes", "liked to draw maps of everything"),
    ("Hazel", "she", 11, "by the old sea wall", "could not sit still for five minutes together"),
    ("Ned", "he", 9, "near the school", "had a gap in {hero.his} front teeth and a very big smile"),
    ("Arlo", "he", 8, "at the edge of Hollow Wood", "collected feathers and kept them in a jar"),
    ("Wren", "they", 10, "above the post office", "liked stories better than anything"),
    ("Tess", "she", 9, "in Bramble Lane", "had red hair and a very loud voice"),
    ("Caleb", "he", 12, "next to the forge", "was good at mending things"),
    ("Maya", "she", 7, "near the orchard", "was afraid of nothing except spiders"),
    ("Leo", "he", 10, "behind the bakery", "was always hungry"),
    ("Ruby", "she", 8, "by the harbour", "wore a yellow hat in every kind of weather"),
    ("Theo", "he", 11, "on the quay", "knew every knot a fisherman could tie"),
    ("Edie", "she", 6, "near the village green", "sang to herself wherever she went"),
    ("Rowan", "they", 12, "near Gull Point", "wanted to keep a lighthouse one day"),
    ("Priya", "she", 10, "above the grocer's shop", "could count faster than the teacher"),
    ("Omar", "he", 9, "by the meadow", "had a kite for every kind of wind"),
    ("Sofia", "she", 11, "next to the school", "read books while {hero.he} walked"),
    ("Felix", "he", 7, "in Bramble Lane", "was the smallest boy in the school and the bravest"),
    ("Noor", "she", 12, "near the quay", "could row a boat all by herself"),
    ("Kofi", "he", 10, "by the mill", "grew the biggest pumpkins in Saltmere"),
    ("Alex", "they", 8, "near the marsh", "liked frogs, toads and anything else that hopped"),
    ("Ivo", "he", 9, "behind the forge", "wanted to know how everything worked"),
    ("Greta", "she", 9, "near the church", "kept a notebook of the weather, just like the clock"),
)
QUILLS = ("Mara", "Tobin")  # the sister and brother of the weather clock story
CHILDREN = tuple(
    Person(name, pronoun, age, "Quill" if name in QUILLS else "", trait, home)
    for name, pronoun, age, home, trait in CHILD_TABLE
)

ADULTS = (
    Person(
        "Grandmother Nell",
        "she",
        family="Quill",
        title="Grandmother Nell",
        call="Grandmother Nell",
        kin="grandmother Nell",
        kin_call="Grandmother",
    ),
    Person(
        "Ada",
        "she",
        family="Quill",
        title="Ada the baker",
        call="Mrs Quill",
        kin="mother Ada",
        kin_call="Mother",
    ),
    Person(
        "Jonah",
        "he",
        family="Quill",
        title="Jonah the fisherman",
        call="Mr Quill",
        kin="father Jonah",
        kin_call="Father",
    ),
    Person(
        "Uncle Fenwick",
        "he",
        family="Quill",
        title="Uncle Fenwick",
        call="Uncle Fenwick",
        kin="uncle Fenwick",
        kin_call="Uncle Fenwick",
    ),
    Person("Captain Barnaby", "he", title="old Captain Barnaby", call="Captain Barnaby"),
    Person("Widow Oakes", "she", title="Widow Oakes", call="Mrs Oakes"),
    Person("Mrs Dunlin", "she", title="Mrs Dunlin the schoolteacher", call="Mrs Dunlin"),
    Person("Mr Pike", "he", title="Mr Pike the grocer", call="Mr Pike"),
    Person("Mr Gale", "he", title="Mr Gale the lighthouse keeper", call="Mr Gale"),
    Person("Doctor Bell", "she", title="Doctor Bell", call="Doctor Bell"),
    Person("Miss Hartley", "she", title="Miss Hartley the postmistress", call="Miss Hartley"),
    Person("Mr Crane", "he", title="Mr Crane the blacksmith", call="Mr Crane"),
    Person("Mrs Penrose", "she", title="Mrs Penrose from the inn", call="Mrs Penrose"),
)
ADULTS_BY_NAME = {adult.name: adult for adult in ADULTS}
PARENT = "parent"  # in a plot's list of grown-ups: the hero's own mother or father


def parent_of(child: Person, rng: random.Random) -> Person:
    """The child's own mother or father, for stories that happen at home."""
    if child.family == "Quill":
        return ADULTS_BY_NAME[rng.choice(("Ada", "Jonah"))]
    pronoun, noun, call = rng.choice((("she", "mother", "Mum"), ("he", "father", "Dad")))
    name = f"{PRONOUNS[child.pronoun]['his']} {noun}"  # 'her father': the hero's own
    return Person(name, pronoun, title=name, call=call, friend_call=f"your {call.lower()}")


def person_words(person: Person) -> dict[str, str]:
    """The forms of a person a template can ask for: name, pronouns, was/were, ..."""
    words = {"": person.name, **PRONOUNS[person.pronoun]}
    words["child"] = CHILD_NOUN[person.pronoun]
    words["age"] = NUMBER_WORDS[person.age] if person.age < len(NUMBER_WORDS) else ""
    words["trait"] = person.trait
    words["home"] = person.home
    return words


def is_family(child: Person, adult: Person) -> bool:
    """Whether a grown-up is one of the child's own family."""
    return bool(adult.kin) and child.family == adult.family


def elder_words(elder: Person, hero: Person, speaker: Person) -> dict[str, str]:
    """A grown-up's forms: as the hero first meets them (intro) and as the speaker calls them."""
    words = person_words(elder)
    hero_pronoun = PRONOUNS[hero.pronoun]["his"]
    words["intro"] = f"{hero_pronoun} {elder.kin}" if is_family(hero, elder) else elder.title
    if is_family(speaker, elder):
        words["call"] = elder.kin_call
    elif speaker is not hero and elder.friend_call:
        words["call"] = elder.friend_call
    else:
        words["call"] = elder.call
    return words


# ---------------------------------------------------------------------------------------------
# Places, times and weather
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """A place in or near Saltmere: how to say 'at' it and 'to' it, where to look, what to do."""

    name: str
    at: str
    to: str
    spots: tuple[str, ...]
    play: tuple[str, ...]


PLACES = (
    Place(
        "the harbour",
        "at the harbour",
        "down to the harbour",
        ("behind the lobster pots", "under the coils of rope", "between the fish boxes"),
        (
            "watching the fishing boats",
            "counting the gulls on the wall",
            "dangling their feet over the water",
        ),
    ),
    Place(
        "Lantern Hill",
        "on Lantern Hill",
        "up to the top of Lantern Hill",
        ("in the long grass", "behind the old bench", "among the gorse bushes"),
        ("looking out over the sea", "counting the steps", "watching the clouds"),
    ),
    Place(
        "the marsh",
        "in the marsh",
        "out to the marsh",
        ("among the reeds", "beside the deep pools", "under the willows"),
        ("watching the herons", "listening to the frogs", "jumping over the little streams"),
    ),
    Place(
        "the beach",
        "on the beach",
        "down to the beach",
        ("among the rocks", "under the heaps of seaweed", "behind the upturned boats"),
        ("looking for shells", "skimming stones", "writing their names in the sand"),
    ),
    Place(
        "the market",
        "at the market",
        "down to the market",
        ("under the fruit stalls", "beside the fountain", "among the empty crates"),
        ("looking at the stalls", "listening to the traders calling", "watching the cheese man"),
    ),
    Place(
        "the orchard",
        "in the orchard",
        "out to the orchard",
        ("under the apple trees", "behind the beehives", "beside the old stone wall"),
        ("climbing the apple trees", "playing hide and seek", "counting the beehives"),
    ),
    Place(
        "Fenwick's farm",
        "at Fenwick's farm",
        "out to Fenwick's farm",
        ("in the hay barn", "behind the henhouse", "by the goat shed"),
        ("feeding the goats", "collecting the eggs", "watching Marigold the cow"),
    ),
    Place(
        "Gull Point",
        "at Gull Point",
        "out to the lighthouse at Gull Point",
        ("around the foot of the lighthouse", "among the rocks", "behind the keeper's cottage"),
        ("watching the waves crash", "looking for seals", "waving at the boats"),
    ),
    Place(
        "the village green",
        "on the village green",
        "across to the village green",
        ("under the benches", "around the old oak tree", "by the duck pond"),
        ("playing tag", "kicking a ball about", "playing hopscotch"),
    ),
    Place(
        "the mill",
        "by the mill",
        "along to the mill on Mill Stream",
        ("under the little bridge", "beside the big wheel", "behind the sacks of flour"),
        ("watching the great wheel turn", "dropping sticks into the stream", "looking for fish"),
    ),
    Place(
        "Hollow Wood",
        "in Hollow Wood",
        "into Hollow Wood",
        ("under the ferns", "among the roots of the old beech", "inside a hollow log"),
        ("building a den", "collecting pine cones", "looking for badger tracks"),
    ),
    Place(
        "the rock pools",
        "by the rock pools",
        "down to the rock pools",
        ("under the seaweed", "between the rocks", "along the edge of the water"),
        ("looking for crabs", "watching the little fish", "poking at the sea anemones"),
    ),
    Place(
        "the dunes",
        "in the dunes",
        "out to the dunes",
        ("in the marram grass", "in the hollows of sand", "behind the biggest dune"),
        ("sliding down the sand", "hiding in the tall grass", "running up and down the dunes"),
    ),
    Place(
        "Heron Pool",
        "by Heron Pool",
        "out to Heron Pool",
        ("among the bulrushes", "under the willow", "beside the stepping stones"),
        ("watching the ducks", "looking for frogs", "hopping across the stepping stones"),
    ),
    Place(
        "the meadow",
        "in the meadow",
        "up to the meadow",
        ("in the tall grass", "by the stile", "along the hedge"),
        ("playing hide and seek", "climbing the stile", "looking for four-leaf clover"),
    ),
    Place(
        "the school yard",
        "in the school yard",
        "to the school yard",
        ("under the benches", "behind the coal shed", "around the old chestnut tree"),
        ("playing marbles", "skipping", "playing hopscotch"),
    ),
    Place(
        "Bramble Lane",
        "in Bramble Lane",
        "along Bramble Lane",
        ("under the hedges", "in the ditch", "behind the garden walls"),
        ("looking for birds' nests", "racing each other", "counting the cats on the walls"),
    ),
    Place(
        "the garden",
        "in the garden",
        "out into the garden",
        ("under the bean rows", "behind the shed", "in the flower beds"),
        ("digging for worms", "helping with the weeding", "playing in the shed"),
    ),
    Place(
        "the old sea wall",
        "by the old sea wall",
        "out to the old sea wall",
        ("between the mossy stones", "in the long grass", "at the foot of the wall"),
        ("walking along the top of the wall", "reading the old carved stone", "watching the tide"),
    ),
)
PLACES_BY_NAME = {place.name: place for place in PLACES}
ALL_PLACES = tuple(PLACES_BY_NAME)
SEASIDE = (
    "the harbour",
    "the beach",
    "the rock pools",
    "the dunes",
    "Gull Point",
    "the old sea wall",
)
COUNTRY = (
    "Lantern Hill",
    "the marsh",
    "the orchard",
    "Fenwick's farm",
    "the village green",
    "the mill",
    "Hollow Wood",
    "Heron Pool",
    "the meadow",
    "Bramble Lane",
)


def place_words(place: Place, rng: random.Random) -> dict[str, str]:
    """The forms of a place: its name, 'at' it, 'to' it, two spots and one thing to do there."""
    spot1, spot2 = rng.sample(place.spots, 2)
    return {
        "": place.name,
        "at": place.at,
        "to": place.to,
        "spot1": spot1,
        "spot2": spot2,
        "play": rng.choice(place.play),
    }


SEASONS = {
    "spring": ("March", "April", "May"),
    "summer": ("June", "July", "August"),
    "autumn": ("September", "October", "November"),
    "winter": ("December", "January", "February"),
}
AIR = {"spring": "fresh", "summer": "warm", "autumn": "cool", "winter": "cold"}
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
TIMES = ("morning", "afternoon", "evening")
DIRECTIONS = ("north", "south", "east", "west")

# Which seasons each kind of weather may come in.
WEATHER_SEASONS = {
    "sunny": ("spring", "summer", "autumn", "winter"),
    "rainy": ("spring", "summer", "autumn", "winter"),
    "windy": ("spring", "summer", "autumn", "winter"),
    "foggy": ("spring", "autumn", "winter"),
    "snowy": ("winter",),
    "frosty": ("autumn", "winter"),
    "cloudy": ("spring", "summer", "autumn", "winter"),
    "hot": ("summer",),
}
ALL_WEATHERS = tuple(WEATHER_SEASONS)
DRY_WEATHERS = ("sunny", "windy", "cloudy", "frosty", "hot")

# How the weather sentence may begin; the sentences below start with a small letter to fit.
WEATHER_LEADS = (
    "",
    "",
    "outside, ",
    "{hero} noticed that ",
    "{hero} saw that ",
    "that {time}, ",
)

WEATHER_SENTENCES = {
    "sunny": (
        "the sun was shining, and the sea below the town was [flat|calm] and [green|blue|silver].",
        "it was a [bright|clear|fine], {air} {season} day, with [only a few small clouds|not a "
        "single cloud] in the sky.",
        "the sky was blue from edge to edge, and the gulls were [calling|wheeling|crying] over "
        "[the harbour|the rooftops|the quay].",
        "the {season} sun sparkled on the water, and the fishing boats rocked [gently|lazily] at "
        "the quay.",
    ),
    "rainy": (
        "rain was [drumming|tapping|pattering] on the [roofs|windows|chimney pots] of Saltmere.",
        "a [soft|steady|fine|cold] rain had been falling since [dawn|breakfast|the night before], "
        "and the lanes were full of [puddles|little rivers].",
        "it was a wet, grey {season} day, and water [gurgled|splashed] down the hundred and "
        "twelve steps of Lantern Hill.",
        "the clouds were low and heavy, and every [roof|leaf|gate|wall] in the village dripped "
        "with rain.",
    ),
    "windy": (
        "the wind was blowing hard from the {direction}, and the washing [flapped|danced] on "
        "the lines.",
        "a [strong|gusty|wild|brisk] {direction} wind was [whistling|rushing|roaring] around the "
        "chimneys.",
        "it was a windy {season} day, and the waves were throwing spray over the harbour wall.",
        "the wind [tugged|pulled] at hats and scarves, and the gulls hung in the air without "
        "moving their wings.",
    ),
    "foggy": (
        "a [thick|soft|cold] grey fog had rolled in from the sea, and the harbour [had "
        "disappeared|was hidden].",
        "the fog was so thick that the church tower was only a [shadow|grey shape], and the "
        "[lamps|windows] glowed like [moons|lanterns].",
        "the whole town was [quiet|still] under a blanket of fog, and even the gulls were silent.",
    ),
    "snowy": (
        "snow had fallen in the night, and [Lantern Hill|every roof in Saltmere|the whole "
        "village|the harbour wall] was white.",
        "big, soft snowflakes were [drifting|falling|tumbling] down from a [white|grey|heavy] sky.",
        "the snow was deep and [crisp|soft], and it [squeaked|crunched] under every boot.",
    ),
    "frosty": (
        "there was frost on the [windows|grass|garden gates|rooftops], and every breath made a "
        "little white cloud.",
        "the puddles in the lane had frozen hard, and the grass [sparkled|crunched] underfoot.",
        "it was a cold, clear {month} day, and the sky was [pale|icy] blue.",
    ),
    "cloudy": (
        "the sky was [grey|pale|full of clouds], but it was not raining[ yet].",
        "big grey clouds drifted slowly over the sea, and the air smelled of [salt and "
        "seaweed|rain to come].",
        "it was a [quiet|still], grey {season} day, and the sea was the colour of [slate|pewter].",
    ),
    "hot": (
        "it was the hottest day of the summer, and even the [dogs|cats|goats] lay in the shade.",
        "the sun was hot, and out in the bay the sea [glittered|shone] like glass.",
        "it was so hot that the tar on the quay was soft, and the gulls stood with their beaks "
        "open.",
    ),
}

SEASON_SENTENCES = {
    "spring": (
        "The first primroses were out on Lantern Hill, and {hero} [stopped to look at "
        "them|picked one for {hero.his} hat].",
        "{friend} pointed at the lambs on Fenwick's farm, [jumping|skipping] in the new grass.",
        "The swallows had come back, and {hero} counted [three|four|five] nests under the eaves.",
    ),
    "summer": (
        "The gardens were full of [roses|sweet peas|runner beans], and bees hummed past "
        "{hero}'s ears.",
        "{friend} had strawberry juice on {friend.his} chin from breakfast.",
        "The days were long, and {hero} never wanted to go to bed.",
    ),
    "autumn": (
        "The apples in the orchard were [red and ripe|ready to pick], and {friend} "
        "[had brought|was eating] one.",
        "Leaves of red and gold were blowing along the lanes, and {hero} tried to catch them.",
        "Long lines of geese were flying south over the marsh, and {hero} waved to them.",
    ),
    "winter": (
        "Smoke rose from every chimney, and {hero}'s breath made little clouds.",
        "{friend} had a woollen hat pulled down over {friend.his} ears.",
        "Icicles hung from the roofs like glass teeth, and {hero} [snapped one off|counted them].",
    ),
}

# ---------------------------------------------------------------------------------------------
# Things, animals and food
# ---------------------------------------------------------------------------------------------

# (noun, plural?, adjectives that fit it)
THINGS = (
    ("scarf", False, ("red", "blue", "green", "striped", "woollen", "long")),
    ("hat", False, ("red", "blue", "woollen", "straw", "floppy", "old")),
    ("mittens", True, ("red", "blue", "woollen", "warm", "spotted")),
    ("boots", True, ("red", "green", "yellow", "rubber", "new")),
    ("key", False, ("brass", "iron", "little", "old", "silver")),
    ("marble", False, ("glass", "blue", "green", "lucky", "shiny")),
    ("ribbon", False, ("red", "blue", "yellow", "silk", "velvet")),
    ("whistle", False, ("tin", "silver", "wooden", "little")),
    ("shell", False, ("pink", "white", "spiral", "lucky")),
    ("gloves", True, ("woollen", "leather", "grey", "warm")),
    ("notebook", False, ("blue", "red", "little", "spotted", "new")),
    ("pencil case", False, ("tin", "green", "red", "leather")),
    ("toy boat", False, ("wooden", "little", "red", "blue")),
    ("wooden horse", False, ("painted", "little", "old")),
    ("spinning top", False, ("red", "painted", "wooden")),
    ("compass", False, ("brass", "little", "old")),
    ("penny", False, ("shiny", "old", "lucky")),
    ("locket", False, ("silver", "gold", "little")),
    ("bell", False, ("brass", "silver", "little")),
    ("paintbrush", False, ("best", "new", "little")),
    ("lunch tin", False, ("blue", "green", "dented")),
    ("bucket", False, ("red", "yellow", "blue", "tin")),
    ("ball", False, ("red", "blue", "rubber", "leather", "bouncy")),
    ("rag doll", False, ("little", "old", "patched")),
    ("teddy bear", False, ("brown", "old", "little", "woolly")),
    ("umbrella", False, ("red", "blue", "yellow", "black", "spotted", "orange")),
    ("lantern", False, ("tin", "little", "brass")),
    ("recorder", False, ("wooden", "new")),
    ("skipping rope", False, ("long", "red", "new")),
    ("map", False, ("old", "paper", "treasure")),
    ("spyglass", False, ("brass", "old", "little")),
    ("hair clip", False, ("silver", "blue", "butterfly")),
    ("pebble", False, ("lucky", "round", "white", "striped")),
    ("fishing net", False, ("little", "green", "blue")),
    ("harmonica", False, ("shiny", "little", "tin")),
    ("coat", False, ("grey", "blue", "warm", "old")),
    ("socks", True, ("striped", "woolly", "red", "odd")),
    ("feather", False, ("long", "white", "grey", "heron")),
    ("pocketknife", False, ("little", "blunt", "old")),
    ("medal", False, ("silver", "swimming", "running")),
    ("wristwatch", False, ("silver", "little", "old")),
    ("sketchbook", False, ("new", "little", "green")),
)

# (noun phrase, plural?) for dishes that come out of an oven.
DISHES = (
    ("apple pie", False, "pie"),
    ("plum cake", False, "cake"),
    ("honey cake", False, "cake"),
    ("currant buns", True, "buns"),
    ("oat cakes", True, "oat cakes"),
    ("cheese scones", True, "scones"),
    ("jam tarts", True, "tarts"),
    ("gingerbread men", True, "gingerbread men"),
    ("raisin loaf", False, "loaf"),
    ("blackberry pie", False, "pie"),
    ("seed cake", False, "cake"),
    ("lemon biscuits", True, "biscuits"),
    ("saffron loaf", False, "loaf"),
    ("pear tart", False, "tart"),
    ("carrot cake", False, "cake"),
    ("bread rolls", True, "rolls"),
    ("cherry pie", False, "pie"),
    ("treacle tart", False, "tart"),
    ("rhubarb crumble", False, "crumble"),
    ("almond biscuits", True, "biscuits"),
    ("fish pie", False, "pie"),
    ("cheese and onion pie", False, "pie"),
)

# (noun, plural?) for something used up in the kitchen.
INGREDIENTS = (
    ("flour", False),
    ("sugar", False),
    ("butter", False),
    ("eggs", True),
    ("honey", False),
    ("milk", False),
    ("raisins", True),
    ("oats", True),
    ("salt", False),
    ("cinnamon", False),
)

# Foods that can fill a basket, a plate or a picnic.
FOODS = (
    "apples",
    "pears",
    "plums",
    "cherries",
    "strawberries",
    "blackberries",
    "bread and butter",
    "brown bread",
    "cheese",
    "hard-boiled eggs",
    "honey buns",
    "oat cakes",
    "jam sandwiches",
    "cheese sandwiches",
    "cold sausages",
    "ginger biscuits",
    "slices of plum cake",
    "carrots",
    "cucumber sandwiches",
    "meat pies",
    "hazelnuts",
    "toffee",
)
DRINKS = ("lemonade", "cold tea", "milk", "ginger beer", "apple juice", "water from the well")
SUPPERS = (
    "hot soup and brown bread",
    "fish pie with peas",
    "bread, cheese and apples",
    "sausages and mashed potatoes",
    "barley soup",
    "baked potatoes with butter",
    "leek and potato soup",
    "eggs on toast",
    "stew with dumplings",
)
OCCASIONS = (
    "the village fair",
    "the school picnic",
    "the fishermen's supper",
    "the children's concert",
    "the church bazaar",
    "a party on the village green",
    "the lifeboat crew's supper",
    "the end-of-term party",
)
COLOURS = ("red", "blue", "green", "yellow", "orange", "purple", "white", "silver")
TELLERS = (
    "everyone at school",
    "Grandmother Nell",
    "Mrs Dunlin",
    "Captain Barnaby",
    "the whole family at supper",
    "Biscuit the dog, who listened very politely",
    "Miss Hartley at the post office",
)


def thing_words(noun: str, plural: bool, short: str = "") -> dict[str, str]:
    """The forms of a thing: 'a red kite', 'the kite', it/them, was/were."""
    return {
        "": noun,
        "a": noun if plural else with_article(noun),
        "the": "the " + (short or noun),
        "short": short or noun,
        "it": "them" if plural else "it",
        "they": "they" if plural else "it",
        "was": "were" if plural else "was",
        "is": "are" if plural else "is",
        "some": "some " + noun,
    }


# ---------------------------------------------------------------------------------------------
# Story parts used by every plot: openings and closings
# ---------------------------------------------------------------------------------------------

OPENINGS = (
    "{When}, {hero} and {pal} [went|walked|ran|wandered] {place.to}.",
    "{When}, {hero} set off {place.to} with {pal}.",
    "{When}, {hero} and {pal} were {place.at}, {place.play}.",
    "{hero} was {hero.age} years old and lived {hero.home}, and {hero.his} best friend was "
    "{friend}. {When}, the two of them went {place.to}.",
    "In the [seaside|little|windy] town of Saltmere [there lived|lived] a {hero.child} "
    "[called|named] {hero}, who {hero.trait}. {When}, {hero} and {pal} [went|wandered] "
    "{place.to}.",
    "It was a {air} {season} {time} in Saltmere, and {hero} and {pal} were on their way "
    "{place.to}.",
    "{hero} and {pal} had been looking forward to a [day|trip|visit] {place.at} for a whole "
    "[week|month]. {When}, they set off at last.",
    "{When}, {hero} put on {hero.his} [coat|boots|hat] and [hurried|went] {place.to} with {pal}.",
    "{hero}, who {hero.trait}, liked {place} better than anywhere else. {When}, "
    "{hero.he} went there with {pal}.",
)

# Traits any child may have; every child also has one of their own.
TRAITS = (
    "loved the sea in every kind of weather",
    "could skim a stone [seven|nine|eleven] times",
    "always had [a pocket full of string|sand in {hero.his} shoes|a biscuit in {hero.his} pocket]",
    "liked to be up before the gulls",
    "knew all the boats in the harbour by name",
    "was saving up for a [spyglass|bicycle|paintbox]",
    "could [climb any tree in Hollow Wood|stand on {hero.his} hands]",
    "liked [drawing|singing|counting] more than anything",
    "had a laugh like a [seagull|kettle|donkey]",
    "never walked anywhere if {hero.he} could run",
    "wanted to be [a baker|a fisherman|a doctor|a clockmaker] one day",
    "had [freckles|curly hair|a missing tooth] and a lot of [ideas|questions]",
)

CLOSINGS = (
    "That night, {hero} fell asleep [smiling|almost at once|to the sound of the waves], "
    "dreaming of {dream}.",
    "From {hero.his} window, {hero} watched the lighthouse at Gull Point [blink|shine] across "
    "the dark water[ until {hero.his} eyes closed].",
    "The next day, {hero} told the whole story to {teller}, and {friend} [added all the best "
    "bits|told it all over again].",
    "It had been a [long|busy|strange|good] {day}, and {hero} and {friend} were [tired in the "
    "best way|glad to be home].",
    "Up on Lantern Hill, the weather clock [ticked on|went on ticking], and {hero} [slept|dreamed] "
    "of {dream}.",
    "That evening, {hero} [watched|counted] the lamps being lit in the windows of Saltmere, one "
    "by one.",
    "That night, {hero} put {hero.his} {thing} [by {hero.his} bed|on the chair] and fell asleep "
    "[at once|smiling].",
    "Before bed, {hero} [wrote|drew] the whole {day} in {hero.his} notebook, so that {hero.he} "
    "would never forget it.",
    "Supper at {hero}'s house that evening was {supper}, and nobody had ever been so hungry.",
)
DREAMS = (
    "kites",
    "the sea",
    "tomorrow",
    "yellow birds",
    "boats with {colour} sails",
    "{friend}",
    "honey buns",
    "faraway islands",
    "snow",
    "the lighthouse",
)

# ---------------------------------------------------------------------------------------------
# Plots: each is a list of paragraphs; each paragraph a list of beats
# ---------------------------------------------------------------------------------------------


@dataclass
class Plot:
    """A kind of story: its paragraphs, its troubles, and where and when it can happen.

    A trouble is a dict of templates (``{trouble.problem}``...); it may also narrow the
    places, weathers, seasons, times or grown-up of the story.
    """

    name: str
    paragraphs: list[list[Beat]]
    troubles: list[dict]
    weathers: tuple[str, ...] = ALL_WEATHERS
    places: tuple[str, ...] = ALL_PLACES
    elders: tuple[str, ...] = ()  # () means any grown-up; PARENT means the hero's own
    openings: tuple[str, ...] = OPENINGS
    seasons: tuple[str, ...] = tuple(SEASONS)
    friend_is_new: bool = False


LOST_THING = Plot(
    name="a lost thing",
    troubles=[
        {"found": "There, {trouble.spot}, {thing.was} {hero.his} {thing}!", "spot": spot}
        for spot in (
            "in the long grass by the gate",
            "on the bottom step, just where {hero} had sat down",
            "beside the water barrel",
            "on a heap of old rope",
            "hanging on a branch of a bush",
            "in a puddle, a little muddy but quite safe",
            "between two big stones",
            "on top of the wall, where someone kind had put {thing.it}",
            "under the bench where they had eaten their lunch",
        )
    ]
    + [
        {
            "found": "Biscuit the dog came [trotting|bounding] towards {hero}, wagging his tail, "
            "with {hero.his} {thing} in his mouth!"
        },
        {
            "found": "[A little girl|A small boy] came running up to {hero} and held out "
            '{hero.his} {thing}. "Is this yours?" [she|he] asked.'
        },
        {
            "found": "Captain Barnaby was sitting on an upturned boat, mending a net, and beside "
            "him, safe and dry, {thing.was} {hero}'s {thing}.",
            "places": SEASIDE,
        },
    ],
    paragraphs=[
        [
            (
                "{hero} and {friend} stayed {place.at} for [a long time|ages|an hour], "
                "{place.play}.",
                "",
            ),
            (
                "But on the way home, {hero} [stopped|gasped]. {hero.His} {thing} {thing.was} "
                "[gone|missing]!",
                "But when {hero} got home, {hero.he} [found|saw] that {hero.his} {thing} "
                "{thing.was} [gone|missing].",
            ),
            (
                "{thing.They} had been a present from {hero.his} [grandfather|aunt|cousin|"
                "godmother] [on {hero.his} birthday|at Christmas|last {season}].",
                "{hero} loved {hero.his} {thing} more than [anything|almost anything in the "
                "world].",
                "",
            ),
        ],
        [
            (
                "hero: Oh no! My {thing}! I must have dropped {thing.it} {place.at}.",
                "hero: Where {thing.is} my {thing}? I had {thing.it} {place.at}, I know I did.",
                "hero: {friend}, my {thing} {thing.is} gone! What shall I do?",
            )
        ],
        [
            (
                "friend: Don't worry, {hero}. We will go back and look[ together].",
                "friend: Let's go back the way we came. Your {thing} can't have gone far.",
                "friend: Two pairs of eyes are better than one, {hero}. Come on!",
            )
        ],
        [
            (
                "So they [hurried|ran|walked] back {place.to} and looked {place.spot1} and "
                "{place.spot2}, but {thing.the} {thing.was} not there.",
                "Back {place.at}, they searched {place.spot1}, and then {place.spot2}, but there "
                "was no sign of {hero}'s {thing}.",
            ),
            (
                "{hero} was just about to give up when {friend} [gave a shout|called out].",
                "Just as they were about to give up, {friend} [pointed|tugged at {hero}'s sleeve].",
            ),
        ],
        [
            ("{trouble.found}",),
            (
                "{hero} [picked {thing.it} up|held {thing.it} tight] and [laughed|smiled] with "
                "relief, and {friend} [laughed too|cheered].",
                "{hero} [hugged|thanked] {friend}, and they [laughed|sang] all the way home.",
                "",
            ),
            (
                "hero: Thank you, {friend}. You are the best {pal_kind} in the world.",
                "hero: I will never lose my {thing} again!",
                "",
            ),
        ],
        [
            (
                "From then on, {hero} always kept {hero.his} {thing} [somewhere safe|in a safe "
                "place|on the shelf by {hero.his} bed].",
                "{hero} learned that [a lost thing is often closer than you think|it is easier "
                "to find something with a {pal_kind} to help], and {friend} [agreed|nodded].",
            ),
        ],
    ],
)

ANIMAL_RESCUE = Plot(
    name="an animal in trouble",
    troubles=[
        {
            "animal": "kitten",
            "adjectives": ("grey", "white", "ginger", "striped", "black"),
            "sound": "mewing",
            "where": "stuck high up in the branches of an old tree",
            "rescue": "fetched a ladder, climbed up and lifted it down",
            "away": "purred, licked {hero}'s hand and ran off home",
            "places": ("the orchard", "Bramble Lane", "the village green", "the meadow"),
        },
        {
            "animal": "lamb",
            "adjectives": ("small", "woolly", "black-faced", "young"),
            "sound": "bleating",
            "where": "caught by its woolly coat in a bramble bush",
            "rescue": "pulled the brambles away gently, one by one",
            "away": "ran back to its mother, bleating all the way",
            "places": ("the meadow", "Fenwick's farm", "Lantern Hill"),
            "seasons": ("spring", "summer"),
        },
        {
            "animal": "gull",
            "adjectives": ("young", "grey", "big white"),
            "sound": "squawking",
            "where": "tangled in an old piece of fishing line",
            "rescue": "wrapped it in a coat to keep it still and snipped the line away",
            "away": "shook its feathers, spread its wings and flew off over the water",
            "places": ("the harbour", "the beach", "the rock pools", "Gull Point"),
        },
        {
            "animal": "hedgehog",
            "adjectives": ("small", "round", "prickly"),
            "sound": "squeaking",
            "where": "at the bottom of a deep ditch, unable to climb out",
            "rescue": "laid a bucket on its side, coaxed it in and lifted it out",
            "away": "sniffed the air and trundled off under the hedge",
            "places": ("Bramble Lane", "the orchard", "Hollow Wood", "the meadow"),
            "seasons": ("spring", "summer", "autumn"),
        },
        {
            "animal": "duckling",
            "adjectives": ("fluffy", "little", "yellow", "brown"),
            "sound": "peeping",
            "where": "all alone on the path, far away from its mother",
            "rescue": "walked slowly behind it and guided it back to the water",
            "away": "paddled off to join its brothers and sisters",
            "places": ("Heron Pool", "the mill", "the marsh"),
            "seasons": ("spring", "summer"),
        },
        {
            "animal": "goat",
            "adjectives": ("small brown", "white", "young", "bearded"),
            "sound": "bleating",
            "where": "with its head stuck through the bars of a gate",
            "rescue": "turned its head gently sideways and eased it back through the bars",
            "away": "trotted off and began to eat a thistle, as if nothing had happened",
            "places": ("Fenwick's farm", "Lantern Hill", "the meadow"),
        },
        {
            "animal": "seal pup",
            "adjectives": ("grey", "spotted", "young"),
            "sound": "crying",
            "where": "lying on the sand, far from the water, where the tide had left it",
            "rescue": "kept it cool and wet with buckets of sea water until the tide came back in",
            "away": "slid into the waves and swam away",
            "places": ("the beach", "the rock pools", "the dunes"),
        },
        {
            "animal": "hen",
            "adjectives": ("brown", "speckled", "white", "red"),
            "sound": "clucking",
            "where": "up on the roof of the shed, too frightened to come down",
            "rescue": "scattered a handful of corn on the ground and caught it when it fluttered "
            "down",
            "away": "ran back to the henhouse, clucking crossly",
            "places": ("Fenwick's farm", "Bramble Lane", "the village green"),
        },
        {
            "animal": "robin",
            "adjectives": ("little", "young"),
            "sound": "chirping",
            "where": "hopping in circles on the path with a hurt wing",
            "rescue": "made it a nest of straw in a box and fed it crumbs until its wing was "
            "strong again",
            "away": "flew up into the hawthorn hedge and sang",
            "places": ("the orchard", "Hollow Wood", "Bramble Lane", "the village green"),
        },
        {
            "animal": "puppy",
            "adjectives": ("brown", "black", "spotted", "fluffy"),
            "sound": "whimpering",
            "where": "shut inside an old fish shed, scratching at the door",
            "rescue": "lifted the heavy latch and opened the door",
            "away": "ran round and round their feet, wagging its tail, and then trotted home",
            "places": ("the harbour", "the market", "the old sea wall"),
        },
        {
            "animal": "owl",
            "adjectives": ("young", "small brown", "white"),
            "sound": "hooting",
            "where": "caught in the netting over the strawberry beds",
            "rescue": "cut the netting away, one string at a time",
            "away": "blinked its round eyes and flew silently into the trees",
            "places": ("the orchard", "Fenwick's farm", "the meadow"),
        },
        {
            "animal": "pony",
            "adjectives": ("grey", "brown", "shaggy", "little"),
            "sound": "whinnying",
            "where": "stuck in the soft mud at the edge of a pool",
            "rescue": "laid planks across the mud and led it out slowly on a rope",
            "away": "shook itself from head to tail and trotted back to its field",
            "places": ("the marsh", "Heron Pool", "the meadow"),
        },
        {
            "animal": "fox cub",
            "adjectives": ("young", "little", "red"),
            "sound": "yelping",
            "where": "trapped under a fallen branch",
            "rescue": "lifted the heavy branch just high enough for it to wriggle out",
            "away": "ran off into the bracken with its white-tipped tail held high",
            "places": ("Hollow Wood", "the marsh", "the dunes"),
        },
    ],
    paragraphs=[
        [
            (
                "{hero} and {friend} were {place.play} when they heard something {trouble.sound}.",
                "{hero} was about to [sit down|turn for home] when {hero.he} heard a [small|thin|"
                "sad] sound {place.at}.",
            ),
            (
                "{friend} followed the sound and found {trouble.a} {trouble.where}.",
                "There, {trouble.where}, {hero} saw {trouble.a}.",
            ),
        ],
        [
            (
                "hero: Oh, the poor thing! We have to help it, {friend}.",
                "hero: Look, {friend}! It can't get free by itself.",
                "hero: What shall we do, {friend}? It needs help.",
            )
        ],
        [
            (
                "friend: Let's fetch {elder.call}. {elder.He} will know what to do.",
                "friend: I will stay here with it, {hero}. You run and fetch {elder.call}!",
                "friend: We must be careful not to frighten it. Let's ask {elder.call} to help us.",
            )
        ],
        [
            (
                "So {hero} ran to fetch {elder.intro}, while {friend} stayed with the "
                "{trouble.animal} and talked to it softly.",
                "{hero} raced off to find {elder.intro}, and soon the two of them came hurrying "
                "back to {friend}.",
            ),
            (
                "Then {elder} {trouble.rescue}, while {hero} and {friend} [watched|held their "
                "breath].",
                "Together, {elder} and the children {trouble.rescue}.",
            ),
        ],
        [
            (
                "At last {trouble.the} was safe, and soon it {trouble.away}.",
                "{hero} and {friend} [cheered|clapped] when {trouble.the} {trouble.away}.",
            ),
            (
                "elder: You did the right thing to come and find me, {hero}.",
                "elder: Well done, both of you. You were [kind|gentle] and [sensible|quick].",
                "elder: That {trouble.animal} is lucky you came by when you did.",
                "",
            ),
        ],
        [
            (
                "{hero} and {friend} walked home [feeling very proud|side by side, smiling].",
                "{hero} never forgot {trouble.the}, and every time {hero.he} passed {place}, "
                "{hero.he} looked to see if it was there.",
                "{hero} and {friend} learned that even small [children|people] can help a "
                "creature in trouble.",
            ),
        ],
    ],
)

BAKING = Plot(
    name="baking",
    elders=(PARENT, PARENT, "Grandmother Nell", "Widow Oakes", "Mrs Penrose", "Uncle Fenwick"),
    openings=(
        "{When}, {hero} and {pal} were in the kitchen with {elder.intro}.",
        "{When}, {hero} and {pal} went round to see {elder.intro}, who was busy in the kitchen.",
        "In the [seaside|little] town of Saltmere there lived a {hero.child} called {hero}, who "
        "{hero.trait}. {When}, {hero} and {pal} [were helping|went to help] {elder.intro} in "
        "the kitchen.",
    ),
    troubles=[
        {
            "problem": "But when {hero} opened the [cupboard|jar|tin], there {ingredient.was} no "
            "{ingredient} left.",
            "fix": "So {hero} and {friend} [ran|hurried] down to Mr Pike's shop and bought "
            "{ingredient.some} with {hero.his} [pocket money|last few pennies].",
        },
        {
            "problem": "But {hero} [knocked|bumped] the [big|mixing] bowl with {hero.his} elbow, "
            "and it fell to the floor with a crash.",
            "fix": "{hero} and {friend} swept up the pieces, found another bowl, and started "
            "again, more carefully this time.",
        },
        {
            "problem": "But {hero} and {friend} were so busy talking that they forgot to watch "
            "the oven, and {dish.the} came out black on top.",
            "fix": "So they made [another batch|it all again], and this time {friend} sat by the "
            "oven door the whole time.",
        },
        {
            "problem": "But {friend} put in salt instead of sugar, and the mixture tasted "
            "[terrible|dreadful|very strange].",
            "fix": "{hero} and {friend} [laughed|groaned], gave the mixture to the hens, and "
            "began again, tasting as they went.",
        },
        {
            "problem": "But while {hero} was [weighing the sugar|cracking the eggs], the cat "
            "jumped onto the table and knocked the flour all over {friend}.",
            "fix": "They shooed the cat outside, {friend} shook the flour out of {friend.his} "
            "hair, and they borrowed a bag of flour from next door.",
        },
        {
            "problem": "But when {friend} opened the oven door, it was [cold|stone cold], "
            "because the fire had gone out.",
            "fix": "{hero} fetched more wood, {friend} blew on the coals, and soon the fire was "
            "[roaring|crackling] again.",
        },
    ],
    paragraphs=[
        [
            (
                "They wanted to make {dish.a} for {occasion}.",
                "{elder} had promised that they could make {dish.a} for {occasion}.",
            ),
            (
                "{hero} took down the old recipe book, and {friend} read the recipe out "
                "[carefully|twice|in a loud voice].",
                "{hero} and {friend} tied on aprons, washed their hands and [weighed|measured] "
                "the {ingredient} [carefully|very carefully].",
                "",
            ),
            ("{trouble.problem}",),
        ],
        [
            (
                "hero: Oh no! What shall we do now?",
                "hero: It's all gone wrong! Now we will never be ready in time.",
                "hero: It's spoiled, {elder.call}! Everything is spoiled.",
            )
        ],
        [
            (
                "elder: Never mind, {hero}. Every cook makes mistakes. We will put it right.",
                "elder: Don't cry, {hero}. Even the best bakers have bad days.",
                "elder: There is still time, if we all work together.",
            )
        ],
        [
            ("{trouble.fix}",),
            (
                "Soon the kitchen smelled of warm {dish}, and {friend} could hardly wait.",
                "{hero} mixed, {friend} stirred, and soon the kitchen was full of a [warm, "
                "sweet|wonderful] smell.",
                "",
            ),
        ],
        [
            (
                "At last {dish.the} {dish.was} ready, and {elder} lifted {dish.it} out of the "
                "oven, golden and warm.",
                "When {dish.the} came out of the oven, {dish.they} {dish.was} [golden|perfect|just "
                "right], and {hero} [clapped|cheered].",
            ),
            (
                "{hero} and {friend} took {dish.it} to {occasion}, and everyone said {dish.they} "
                "{dish.was} the best they had ever tasted.",
                "{hero} and {friend} carried {dish.it} to {occasion} on a [big|wooden] tray, and "
                "there was not a crumb left by the end.",
            ),
        ],
        [
            (
                "{hero} and {friend} learned that [a mistake is not the end of a recipe|good "
                "things take patience|baking is best done together].",
                "elder: You see, {hero}? A spoiled start does not mean a spoiled ending.",
            ),
        ],
    ],
)

STORM_WARNING = Plot(
    name="a storm warning",
    weathers=("sunny", "cloudy", "frosty"),
    elders=("Grandmother Nell",),
    openings=(
        "{When}, {hero} and {pal} were in the kitchen at the top of Lantern Hill, where the "
        "weather clock stood between the stove and the window.",
        "{When}, {hero} and {pal} were having [breakfast|tea|a mug of cocoa] with {elder.intro} "
        "in the kitchen on Lantern Hill.",
        "On Lantern Hill, in the kitchen of the Quills, the weather clock ticked quietly while "
        "{hero} and {pal} [drank their cocoa|played cards|did a jigsaw] beside it.",
    ),
    troubles=[
        {
            "word": "a storm",
            "hand": "a small black cloud with a line of lightning through it",
            "task": "tell the fishermen not to sail",
            "action": "{hero} told every fisherman on the quay, {friend} ran to tell Captain "
            "Barnaby, and one by one the boats were pulled high up on the shore.",
            "arrive": "That night the storm came roaring in from the sea, and {hero} lay awake "
            "listening to the waves break over the harbour wall.",
        },
        {
            "word": "a gale",
            "hand": "wind",
            "task": "help tie the boats down",
            "action": "{hero} and {friend} helped Jonah and Captain Barnaby tie every boat twice "
            "and stack the lobster pots against the wall.",
            "arrive": "The next morning a gale blew from the {direction}, so strong that {hero} "
            "could hardly stand up on the quay.",
        },
        {
            "word": "rain",
            "hand": "rain",
            "task": "help Uncle Fenwick bring in the hay",
            "action": "{hero} and {friend} helped Uncle Fenwick carry the hay into the barn, one "
            "armful at a time, until their arms ached.",
            "arrive": "The next day the rain came down in sheets, and {hero} thought of all the "
            "hay lying dry in the barn.",
            "seasons": ("summer",),
        },
        {
            "word": "fog",
            "hand": "fog",
            "task": "warn Mr Gale at the lighthouse",
            "action": "{hero} and {friend} ran all the way out to Gull Point, and Mr Gale lit "
            "the great lamp early, so that every boat could find its way home.",
            "arrive": "By evening the fog was so thick that {hero} could not see {hero.his} own "
            "hand, but the beam of the lighthouse swept through it, round and round.",
        },
        {
            "word": "snow",
            "hand": "snow",
            "task": "help bring the sheep down from the hill",
            "action": "{hero} and {friend} helped Uncle Fenwick and his old dog bring the sheep "
            "down from the top field into the shelter of the barn.",
            "arrive": "That night the snow fell thick and fast, and in the morning {hero} could "
            "not even see the top field under its white blanket.",
            "seasons": ("winter",),
            "weathers": ("cloudy", "frosty"),
        },
    ],
    paragraphs=[
        [
            (
                "Suddenly, as {hero} [was reaching for the bread|looked up|was talking to "
                "{friend}], the little yellow bird on top of the clock [began to sing|gave a "
                "long, high whistle].",
            ),
            (
                "{hero} and {friend} watched the black hand creep round until it pointed at "
                "{trouble.hand}.",
                "",
            ),
        ],
        [
            (
                "hero: [Really|Are you sure]? It doesn't look like {trouble.word} outside.",
                "hero: {elder.call}, look! The bird is singing!",
            )
        ],
        [
            (
                "elder: The bird never sings for nothing, {hero}. There will be {trouble.word} "
                "[before tomorrow|by tomorrow]. Run and {trouble.task}.",
                "elder: The clock has not been wrong for forty years. Quick, {hero}: "
                "{trouble.task}!",
            )
        ],
        [
            (
                "{hero} and {friend} ran down the hundred and twelve steps, two at a time.",
                "{hero} and {friend} [raced|hurried] [down the hill|along the lane] as fast as "
                "their legs would go.",
                "",
            ),
            ("{trouble.action}",),
        ],
        [
            ("{trouble.arrive}",),
            (
                "But nobody was hurt and nothing was lost, thanks to a little yellow bird, {hero} "
                "and {friend}.",
                "But everyone in Saltmere was safe, because {hero} and {friend} had listened to "
                "the clock.",
                "",
            ),
        ],
        [
            (
                "elder: The clock told us, but you were the ones who ran. Well done, {hero}.",
                "{hero} and {friend} learned that it is wise to listen to a warning, even on a "
                "quiet day.",
            ),
        ],
    ],
)

KITE = Plot(
    name="a kite",
    weathers=("windy",),
    places=("Lantern Hill", "the village green", "the beach", "the meadow", "the dunes"),
    troubles=[
        {
            "problem": "But every time {friend} let go, the kite spun round and round and "
            "crashed to the ground.",
            "cry": "It's no good, {friend}. This kite will never fly.",
            "idea": "I know, {hero}! It needs a longer tail to keep it steady.",
            "fix": "So {hero} tied more bows of [paper|cloth|ribbon] to the tail, until it was "
            "twice as long as before.",
        },
        {
            "problem": "The kite rose up and up, but then the string snapped in {hero}'s hands, "
            "and the kite sailed away into a [hawthorn|gorse] bush.",
            "cry": "Oh, {friend}! Our kite is stuck, and the string is broken.",
            "idea": "We can get it down with a long stick, {hero}, and tie the string with a "
            "good strong knot.",
            "fix": "{friend} hooked the kite down with a long stick, and {hero} tied the string "
            "with the best knot {hero.he} knew.",
        },
        {
            "problem": "But the first gust of wind tore a hole right through the middle of "
            "{hero}'s kite.",
            "cry": "Look at it, {friend}! There's a hole right through it.",
            "idea": "We can mend it, {hero}. I have some paper and paste at home.",
            "fix": "{hero} and {friend} ran home, glued a patch of [brown|yellow] paper over the "
            "hole, and waited for it to dry.",
        },
        {
            "problem": "But the string was too short, and {hero}'s kite could only fly as high "
            "as a garden wall.",
            "cry": "It won't go any higher, {friend}! The string is too short.",
            "idea": "Uncle Fenwick has a whole ball of string in his barn, {hero}. Let's ask him.",
            "fix": "Uncle Fenwick gave {hero} and {friend} a whole ball of string, and they tied "
            "it on, end to end.",
        },
    ],
    paragraphs=[
        [
            (
                "{hero} and {friend} had made {colour.a} kite from [paper and two thin sticks|an "
                "old shirt and some garden canes|sailcloth and willow sticks].",
                "{hero} was carrying the {colour} kite that {friend} had made for {hero.him}.",
            ),
            (
                "{friend} held the kite up high, and {hero} ran into the wind.",
                "",
            ),
            ("{trouble.problem}",),
        ],
        [("hero: {trouble.cry}",)],
        [("friend: {trouble.idea}",)],
        [
            ("{trouble.fix}",),
            (
                "This time the wind caught the kite, and up it went, higher and higher, until "
                "{hero} could hardly see it.",
                "This time the {colour} kite climbed straight up into the sky, and {friend} "
                "[shouted|whooped] with joy.",
            ),
        ],
        [
            (
                "The {colour} kite danced and swooped over {place}, and its tail [wriggled|"
                "fluttered] like a [ribbon|snake|fish].",
                "Soon the kite was a little {colour} speck [high] above {place}, and the gulls "
                "flew round it in surprise.",
                "",
            ),
            (
                "hero: We did it, {friend}! Look how high it is!",
                "friend: It's the best kite in Saltmere, {hero}!",
            ),
        ],
        [
            (
                "{hero} and {friend} flew the kite until [their arms ached|the wind dropped|it "
                "was time for supper].",
                "{hero} and {friend} learned that if something goes wrong the first time, you "
                "can [try again|think again and try again].",
            ),
        ],
    ],
)

SANDCASTLE = Plot(
    name="a sandcastle",
    weathers=("sunny", "hot", "cloudy"),
    places=("the beach",),
    seasons=("spring", "summer", "autumn"),
    troubles=[
        {
            "problem": "But the tide was coming in, and a big wave rolled up the beach and "
            "washed half of {hero}'s castle away.",
            "cry": "The sea has knocked it down, {friend}!",
            "idea": "Let's build it again, {hero}, further up where the sea can't reach.",
            "fix": "So {hero} and {friend} built a new castle high up on the dry sand, with a "
            "long channel to carry the water away.",
        },
        {
            "problem": "But just then, Biscuit the dog came racing along the beach after a gull "
            "and ran straight through the middle of {hero}'s castle.",
            "cry": "Biscuit! Look what you've done!",
            "idea": "He didn't mean it, {hero}. Maybe he can help us dig the moat.",
            "fix": "So {hero} and {friend} built it again, and Biscuit dug the moat with his "
            "front paws, sending sand flying everywhere.",
        },
        {
            "problem": "But the sand was too dry, and {hero}'s towers kept crumbling as soon as "
            "{hero.he} lifted the bucket.",
            "cry": "The towers keep falling down, {friend}!",
            "idea": "We need wet sand, {hero}. Dry sand won't hold together.",
            "fix": "So {friend} carried wet sand up from the water's edge, and {hero} patted "
            "every tower down hard.",
        },
        {
            "problem": "But a little {other.child} called {other}, who was only four, came "
            "running past and fell right on top of {hero}'s tallest tower.",
            "cry": "Oh no! The tallest tower is ruined!",
            "idea": "{other} didn't mean to, {hero}. Let's ask {other.him} to help us build it "
            "again.",
            "fix": "So {other} helped {hero} and {friend} build the tower again, and {other.he} "
            "found the prettiest shell of all for the top.",
        },
    ],
    paragraphs=[
        [
            (
                "{hero} and {friend} took a bucket and spade down to the [firm|wet] sand near the "
                "water.",
                "{hero} found a flat place near the water, and {friend} started to dig.",
            ),
            (
                "They wanted to build the biggest sandcastle [in Saltmere|that anyone had ever "
                "seen].",
                "Soon the castle had {count} towers, a deep moat, and a wall decorated with "
                "[shells|pebbles|seaweed].",
                "",
            ),
            ("{trouble.problem}",),
        ],
        [("hero: {trouble.cry}",)],
        [("friend: {trouble.idea}",)],
        [
            ("{trouble.fix}",),
        ],
        [
            (
                "When it was finished, the castle was taller than {friend}'s knee, with a "
                "[gull's feather|little flag] on the top.",
                "At last the castle was finished, and {hero} said it was even better than the "
                "first one.",
            ),
            (
                "People walking on the beach stopped to look at it, and {elder.intro} said it "
                "was the finest castle {elder.he} had ever seen.",
                "friend: It's a castle fit for a king, {hero}!",
                "",
            ),
        ],
        [
            (
                "{hero} and {friend} learned that when something [falls down|is spoiled], you can "
                "always build it again, and sometimes better.",
                "The sea took the castle away in the night, but {hero} and {friend} did not "
                "mind. They would build another one tomorrow.",
            ),
        ],
    ],
)

SNOWMAN = Plot(
    name="a snowman",
    weathers=("snowy",),
    places=("the village green", "Lantern Hill", "the meadow", "the school yard", "the orchard"),
    troubles=[
        {
            "problem": "But every time {friend} lifted the head on top, it slid off and broke in "
            "two.",
            "cry": "His head keeps falling off, {friend}!",
            "idea": "Let's push a stick through the middle, {hero}, to hold the head on.",
            "fix": "So {hero} pushed a strong stick into the body, and {friend} pressed the head "
            "down on top of it.",
        },
        {
            "problem": "But while {hero} was fetching a scarf, a goat from Fenwick's farm came "
            "along and ate the snowman's carrot nose.",
            "cry": "That goat has eaten his nose, {friend}!",
            "idea": "Never mind, {hero}. We can give him a [parsnip|pine cone] instead.",
            "fix": "So {hero} and {friend} gave the snowman a new nose, and the goat watched "
            "them, chewing.",
        },
        {
            "problem": "But {hero} and {friend} had used up all the snow nearby, and the snowman "
            "had no head.",
            "cry": "There's no snow left, {friend}! He'll have no head at all.",
            "idea": "There's lots of snow by the wall, {hero}. We can carry it in buckets.",
            "fix": "So {hero} and {friend} carried snow in buckets from the wall, one bucket at "
            "a time, until there was enough for a head.",
        },
        {
            "problem": "But the sun came out, and {hero}'s snowman began to drip and lean to "
            "one side.",
            "cry": "He's melting, {friend}! He's falling over!",
            "idea": "Let's build him again in the shade of the wall, {hero}, where the sun "
            "can't reach.",
            "fix": "So {hero} and {friend} rolled new snow in the shade of the wall and built "
            "the snowman again, even bigger.",
        },
    ],
    paragraphs=[
        [
            (
                "{hero} rolled a big ball of snow for the body, and {friend} rolled a smaller "
                "one for the head.",
                "{hero} and {friend} decided to build the biggest snowman in Saltmere.",
            ),
            (
                "They gave him [two pieces of coal|two black pebbles|two buttons] for eyes, a "
                "carrot for a nose, and a row of little stones for a smile.",
                "{hero}'s cheeks were pink with cold, and {friend}'s fingers were numb, but they "
                "did not stop.",
                "",
            ),
            ("{trouble.problem}",),
        ],
        [("hero: {trouble.cry}",)],
        [("friend: {trouble.idea}",)],
        [
            ("{trouble.fix}",),
            (
                "Then {hero} wrapped {hero.his} own {colour} scarf round the snowman's neck.",
                "Then {friend} put an old hat on the snowman's head, at a [funny|jaunty] angle.",
                "",
            ),
        ],
        [
            (
                "When it was finished, the snowman was taller than {hero}, and he seemed to be "
                "smiling at {friend}.",
                "At last the snowman stood [proud and tall|fat and happy] in the snow, wearing "
                "{hero}'s {colour} scarf.",
            ),
            (
                "{elder.intro} came by and laughed, and said it was the finest snowman {elder.he} "
                "had ever seen.",
                "friend: He looks just like Captain Barnaby, {hero}!",
            ),
        ],
        [
            (
                "{hero} and {friend} [ran|went] home for hot cocoa, with snow in their boots and "
                "smiles on their faces.",
                "{hero} and {friend} learned that a problem is smaller when there are two people "
                "to think about it.",
            ),
        ],
    ],
)

FEAR = Plot(
    name="being afraid",
    troubles=[
        {
            "fear": "the dark",
            "problem": "That night, {hero} could not sleep. The room was dark, and the shadows "
            "on {hero.his} wall looked like [giants|strange animals|monsters].",
            "cry": "I don't like the dark. The shadows look like monsters.",
            "idea": "Let's look at them together, {hero}. That one is your coat on the hook, "
            "and that one is only the chair.",
            "fix": "{elder} opened the curtains a little, and the light of the lighthouse swept "
            "across {hero}'s ceiling, slow and friendly.",
            "brave": "{hero} counted the sweeps of the lighthouse beam and was asleep before "
            "{hero.he} reached [twenty|thirty].",
            "times": ("evening",),
            "elder": PARENT,
        },
        {
            "fear": "thunder",
            "problem": "That evening a thunderstorm rolled in from the sea, and every crash of "
            "thunder made {hero} jump.",
            "cry": "I hate thunder! It's so loud.",
            "idea": "Count with me, {hero}, from the flash to the bang. The more we count, the "
            "further away the storm is.",
            "fix": "So {hero} and {elder} counted together. First it was three, then five, then "
            "eight, then twelve.",
            "brave": "Soon the thunder was only a soft grumble far out at sea, and {hero} was "
            "not afraid of it any more.",
            "weathers": ("rainy", "cloudy", "hot"),
            "times": ("evening",),
            "elder": PARENT,
        },
        {
            "fear": "deep water",
            "problem": "Everyone else was swimming in the sea, but {hero} stayed on the sand. "
            "The water looked so deep and so cold.",
            "cry": "I can't go in. What if I sink?",
            "idea": "Lie back on the water, {hero}, and I will hold you up. The sea will help "
            "you float.",
            "fix": "{elder} held {hero} up in the shallow water, and slowly, slowly, let go.",
            "brave": "And {hero} floated, all by {hero.him}self, looking up at the sky.",
            "weathers": ("sunny", "hot"),
            "seasons": ("summer",),
            "places": ("the beach",),
        },
        {
            "fear": "big dogs",
            "problem": "A huge black dog came running towards them, barking, and {hero} hid "
            "behind {friend}.",
            "cry": "Make it go away! It's going to bite me!",
            "idea": "That's only Bosun, the miller's dog, {hero}. Hold out your hand and let him "
            "sniff it.",
            "fix": "{hero} held out a shaking hand. Bosun sniffed it, and then he licked it "
            "with a great warm tongue.",
            "brave": "By the end of the {time}, {hero} was throwing sticks for Bosun and laughing.",
            "places": ("the mill", "the meadow", "the village green", "Bramble Lane"),
        },
        {
            "fear": "high places",
            "problem": "The stairs inside the lighthouse went round and round, up and up, and "
            "halfway up {hero} froze and would not move.",
            "cry": "It's too high! I want to go down.",
            "idea": "Don't look down, {hero}. Look at the next step, only the next one, and hold "
            "my hand.",
            "fix": "So {hero} looked only at the next step, and then the next, and held on tight.",
            "brave": "At the top, {hero} could see the whole of Saltmere, tiny and far away, and "
            "{hero.he} forgot to be afraid.",
            "places": ("Gull Point",),
            "elder": "Mr Gale",
        },
        {
            "fear": "the wood",
            "problem": "When the path went into the trees, {hero} stopped. It was dark under the "
            "branches, and something rustled in the leaves.",
            "cry": "What's that noise? I don't want to go in there.",
            "idea": "Stand still and listen, {hero}. Woods are full of small, shy things.",
            "fix": "{hero}, {friend} and {elder} stood very still, and out from the leaves came "
            "a [blackbird|wren|thrush], looking for worms.",
            "brave": "After that, {hero} walked through Hollow Wood listening to every sound, "
            "and every sound was a friend.",
            "places": ("Hollow Wood",),
        },
    ],
    paragraphs=[
        [
            ("{trouble.problem}",),
        ],
        [("hero: {trouble.cry}",)],
        [
            (
                "{elder.intro} came and sat beside {hero}.",
                "{hero} called for {elder.intro}, who came at once.",
            ),
            ("elder: {trouble.idea}",),
        ],
        [
            ("{trouble.fix}",),
            ("{trouble.brave}",),
        ],
        [
            (
                "hero: I was afraid, but I did it anyway, {elder.call}.",
                "hero: It wasn't so bad after all, {friend}.",
                "hero: Thank you, {elder.call}. I feel braver now.",
                "",
            ),
            (
                "elder: That is what being brave means, {hero}. It is not about never being "
                "afraid.",
                "elder: Everyone is afraid of something, {hero}. You were brave enough to try.",
            ),
        ],
        [
            (
                "{hero} never forgot what {elder} had said that day.",
                "From then on, {hero} was not so afraid of {trouble.fear}, and when {friend} was "
                "scared of something, {hero} knew just what to say.",
            ),
        ],
    ],
)

NEWCOMER = Plot(
    name="a new friend",
    friend_is_new=True,
    openings=(
        "{When}, a cart piled high with boxes and chairs came slowly down the road into "
        "Saltmere, and {hero} watched it from the garden wall.",
        "{When}, {hero} saw a new {friend.child} standing all alone {place.at}. {friend.His} "
        "family had come to live in Saltmere only the day before.",
        "{hero}, who {hero.trait}, was the first to notice the new {friend.child} in "
        "Saltmere. {When}, {hero.he} saw {friend.him} {place.at}.",
    ),
    troubles=[
        {"from": "the city", "missed": "the trams and the tall buildings"},
        {"from": "a farm far away in the hills", "missed": "the sheep and the wide hills"},
        {"from": "a town with no sea", "missed": "the friends I left behind"},
        {"from": "the far north, where the winters are long", "missed": "my old school"},
        {"from": "an island even smaller than Saltmere", "missed": "my grandmother's cottage"},
    ],
    paragraphs=[
        [
            (
                "{hero} saw that the new {friend.child}, who was called {friend}, looked "
                "[shy|lonely|a little lost].",
                "The new {friend.child}'s name was {friend}, and {friend.he} stood [by the wall|"
                "at the gate|under a tree] with {friend.his} hands in {friend.his} pockets.",
            ),
            (
                "{friend} had come from {trouble.from}, and everything in Saltmere was strange "
                "to {friend.him}.",
                "{hero} remembered how it felt to be new, and {hero.he} walked over to {friend}.",
                "",
            ),
        ],
        [
            (
                "hero: Hello! I'm {hero}. Would you like to see [the harbour|the boats|the "
                "lighthouse|the rock pools]?",
                "hero: Hello. Are you new? I can show you [around|the best places], if you like.",
            )
        ],
        [
            (
                "friend: Yes, please. I don't know anybody here. I miss {trouble.missed}.",
                "friend: I'm {friend}. We came from {trouble.from}. Everything here smells of "
                "the sea.",
            )
        ],
        [
            (
                "So {hero} showed {friend} the harbour, where the fishing boats came in, and "
                "the weather clock on Lantern Hill, and the rock pools where the crabs hid.",
                "{hero} took {friend} all over Saltmere: to the bakery, where Ada gave them a "
                "warm bun each, to the goats at Fenwick's farm, and out to the lighthouse at "
                "Gull Point.",
                "{hero} and {friend} walked along the old sea wall and down to the marsh, and "
                "{hero} told {friend} the names of all the birds.",
            ),
            (
                "Little by little, {friend} began to smile at {hero}'s jokes.",
                "By the end of the day, {friend} was laughing with {hero} as if they had always "
                "been friends.",
                "",
            ),
        ],
        [
            (
                "friend: I think I'm going to like it here, {hero}. Can we do this again tomorrow?",
                "friend: Thank you, {hero}. Can we do this again tomorrow?",
            ),
            (
                "hero: Of course, {friend}. That's what friends are for.",
                "hero: Every day, if you like, {friend}.",
            ),
        ],
        [
            (
                "After that, {hero} and {friend} were the best of friends.",
                "{hero} learned that a kind word can turn a stranger into a friend, and "
                "{friend} never forgot that first day.",
            ),
        ],
    ],
)

GIFT = Plot(
    name="a present",
    elders=(PARENT, PARENT, "Grandmother Nell", "Uncle Fenwick", "Captain Barnaby", "Mrs Dunlin"),
    troubles=[
        {
            "gift": "a necklace of shells",
            "made": "collected tiny shells on the beach and threaded them on a string",
            "flaw": "some of the shells were chipped",
        },
        {
            "gift": "a painting of the harbour",
            "made": "painted the harbour, with all the boats and the gulls on the wall",
            "flaw": "the paint had run in one corner",
        },
        {
            "gift": "a little wooden boat",
            "made": "carved a little boat from a piece of driftwood and painted it {colour}",
            "flaw": "it leaned to one side",
        },
        {
            "gift": "a bunch of wild flowers",
            "made": "picked wild flowers from the meadow and tied them with {colour.a} ribbon",
            "flaw": "some of the flowers were already drooping",
            "seasons": ("spring", "summer"),
        },
        {
            "gift": "a jar of blackberry jam",
            "made": "picked blackberries along Bramble Lane and made jam with a little help from "
            "next door",
            "flaw": "the jar was only half full",
            "seasons": ("autumn",),
        },
        {
            "gift": "a card with a poem inside",
            "made": "wrote a poem about the sea and copied it into a card in {hero.his} best "
            "writing",
            "flaw": "one of the lines did not rhyme",
        },
        {
            "gift": "a woolly scarf",
            "made": "knitted {colour.a} scarf, row after row, every evening for a week",
            "flaw": "it had a hole where a stitch had dropped",
        },
        {
            "gift": "a clay pot",
            "made": "shaped a little pot from clay and baked it hard in the sun",
            "flaw": "it was not quite round",
        },
    ],
    paragraphs=[
        [
            (
                "It was nearly {elder}'s birthday, and {hero} wanted to give {elder.him} "
                "something special.",
                "{hero} knew that it would soon be {elder}'s birthday, and {hero.he} had no "
                "money for a present.",
            ),
        ],
        [
            (
                "So {hero} and {friend} decided to make {trouble.gift}.",
                "{hero} thought for a long time and then decided to make {trouble.gift}.",
            ),
            ("{hero} {trouble.made}, and {friend} [helped|watched|kept {hero.him} company].",),
            (
                "But when it was finished, {hero} frowned, because {trouble.flaw}.",
                "{hero}'s present was not perfect: {trouble.flaw}.",
                "",
            ),
        ],
        [
            (
                "hero: It isn't good enough, {friend}. {elder.He} won't like it.",
                "hero: It's not as nice as a present from a shop, {friend}.",
            ),
            ("friend: It's perfect, {hero}, because you made it.",),
        ],
        [
            (
                "On the morning of {elder}'s birthday, {hero} gave {elder.him} {trouble.gift}, "
                "wrapped in brown paper.",
                "{hero} gave {elder} the present at breakfast on {elder.his} birthday.",
            ),
            (
                "{elder} was so pleased that {elder.his} eyes filled with tears.",
                "{elder} smiled the biggest smile {hero} had ever seen.",
                "",
            ),
            (
                "elder: This is the best present I have had in years. Thank you, {hero}.",
                "elder: Did you make this yourself, {hero}? Then I shall keep it forever.",
            ),
        ],
        [
            (
                "{hero} learned that the best presents are the ones you make with love, and "
                "{friend} [agreed|said so too].",
                "{elder} kept the present by the window, where everyone could see it.",
            ),
        ],
    ],
)

QUESTION = Plot(
    name="a question",
    elders=(
        PARENT,
        "Grandmother Nell",
        "Uncle Fenwick",
        "Captain Barnaby",
        "Mr Gale",
        "Mrs Dunlin",
    ),
    troubles=[
        {
            "sight": "{hero} dipped a finger in the sea and tasted it, and {hero.his} face "
            "[screwed up|went funny]. It was very salty.",
            "question": "Why is the sea so salty?",
            "guess": "Maybe somebody spilled a giant salt pot.",
            "answer": "Rivers carry tiny bits of salt from the rocks down to the sea. The sun "
            "lifts the water up into the clouds, but the salt stays behind. So, year after "
            "year, the sea gets saltier.",
            "places": SEASIDE,
        },
        {
            "sight": "{hero} and {friend} watched the gulls gather on the harbour wall as the "
            "light began to fade.",
            "question": "Where do the gulls sleep at night?",
            "guess": "I think they have little beds in the chimneys.",
            "answer": "Some sleep on the water, floating like corks. Some sleep on the roofs, or "
            "out on the rocks at Gull Point, with their heads tucked under their wings.",
            "places": SEASIDE,
            "times": ("afternoon", "evening"),
        },
        {
            "sight": "The water was far out, and {hero} and {friend} could see the boats sitting "
            "on the mud, leaning over.",
            "question": "Where does the sea go when the tide goes out?",
            "guess": "Maybe the fish drink it.",
            "answer": "The moon pulls on the sea, just a little, and the water heaps up towards "
            "it. Twice a day the tide comes in, and twice a day it goes out again.",
            "places": SEASIDE,
        },
        {
            "sight": "Far away over the sea, {hero} saw a flash of lightning, and a long time "
            "later there was a low rumble of thunder.",
            "question": "Why does the thunder come after the lightning?",
            "guess": "Maybe the thunder is slower because it is bigger.",
            "answer": "Light is very fast, and sound is slow. You see the flash first, and the "
            "noise comes after. If you count the seconds in between, you can tell how far away "
            "the storm is.",
            "weathers": ("cloudy", "rainy", "hot"),
        },
        {
            "sight": "The leaves of the old oak were falling, red and brown and gold, and "
            "{friend} caught one in {friend.his} hat.",
            "question": "Why do trees drop their leaves in autumn?",
            "guess": "Maybe they are tired of holding them up.",
            "answer": "In winter the ground is cold and the days are short, so a tree rests. It "
            "lets its leaves go to save its strength, and in spring it grows new ones.",
            "seasons": ("autumn",),
            "places": COUNTRY,
        },
        {
            "sight": "The fog rolled in from the sea so quickly that {hero} could hardly see "
            "{friend}, even though {friend.he} {friend.was} standing right there.",
            "question": "Where does the fog come from?",
            "guess": "I think it is a cloud that got lost.",
            "answer": "You are nearly right. Fog is a cloud that sits on the ground. When warm, "
            "wet air meets the cold sea, the water in the air turns into tiny drops, too small "
            "to fall.",
            "weathers": ("foggy",),
        },
        {
            "sight": "A long line of geese flew over {hero} and {friend}, calling, all going the "
            "same way.",
            "question": "How do the geese know where to fly?",
            "guess": "Maybe the oldest goose has a map.",
            "answer": "Nobody knows all of it. They follow the sun by day and the stars by "
            "night, and they remember rivers and hills, the way you remember the steps up "
            "Lantern Hill.",
            "seasons": ("autumn", "spring"),
        },
        {
            "sight": "The lighthouse at Gull Point began to turn, and {hero} watched its beam "
            "sweep across the water.",
            "question": "How does the lighthouse send its light so far?",
            "guess": "Maybe the lamp is as big as a house.",
            "answer": "The lamp is quite small. But big pieces of curved glass catch its light "
            "and bend it into one strong beam. The lamp turns, and the beam sweeps across the "
            "sea, so sailors can see where the rocks are.",
            "times": ("evening",),
            "places": SEASIDE,
        },
        {
            "sight": "The moon was up early, thin and curved like a fingernail, and {friend} "
            "pointed at it.",
            "question": "Why does the moon change its shape?",
            "guess": "Maybe something takes a bite out of it.",
            "answer": "The moon does not really change. The sun always lights half of it. As "
            "the moon goes round the earth, we see more or less of the bright half.",
            "times": ("evening",),
        },
        {
            "sight": "A rainbow stretched over the bay, and {hero} and {friend} stopped to "
            "stare at it.",
            "question": "What makes a rainbow?",
            "guess": "Maybe someone painted it.",
            "answer": "Sunlight is all the colours mixed together. When it shines through "
            "raindrops, each drop bends the light and spreads the colours out, red on the "
            "outside and violet inside.",
            "weathers": ("rainy", "cloudy"),
        },
        {
            "sight": "The bees were going in and out of the hives, busy as market day, and "
            "{hero} watched them for a long time.",
            "question": "How do bees make honey?",
            "guess": "Maybe they cook it in tiny pots.",
            "answer": "They drink sweet juice from the flowers and carry it home. In the hive "
            "they fan it with their wings until it is thick and sweet, and then they seal it "
            "in wax.",
            "seasons": ("spring", "summer"),
            "places": ("the orchard", "the meadow", "Fenwick's farm"),
        },
        {
            "sight": "{hero} lifted a stone in the rock pool, and a little crab ran sideways "
            "into the weed.",
            "question": "Why do crabs walk sideways?",
            "guess": "Maybe they are shy and don't like to look at you.",
            "answer": "A crab's legs bend at the sides, like hinges, so walking sideways is the "
            "quickest way for it to go. It can walk forwards, too, but only slowly.",
            "places": ("the rock pools", "the beach"),
        },
    ],
    paragraphs=[
        [
            ("{trouble.sight}",),
            ("hero: {trouble.question}",),
        ],
        [
            (
                "friend: {trouble.guess}",
                "friend: I don't know, {hero}. {trouble.guess}",
            ),
            (
                "{hero} laughed at {friend}, but {hero.he} still wanted to know.",
                "{hero} was not sure that {friend} was right.",
                "",
            ),
        ],
        [
            (
                "On the way home they met {elder.intro}, and {hero} asked {elder.him} the same "
                "question.",
                "That evening, {hero} asked {elder.intro} about it.",
            ),
            ("elder: {trouble.answer}",),
        ],
        [
            (
                "{hero} thought about this for a long time, and so did {friend}.",
                "{hero} and {friend} were quiet for a while, thinking.",
                "",
            ),
            (
                "hero: So the world is full of things to find out, {elder.call}.",
                "hero: I'm going to find out everything when I'm older, {friend}.",
                "hero: Then I have another question, {elder.call}.",
            ),
            (
                "elder: [Good|Quite right], {hero}. Never stop asking questions.",
                "elder: That is the spirit, {hero}. Every answer starts with a question.",
                "",
            ),
        ],
        [
            (
                "That night, {hero} wrote the question and the answer in {hero.his} notebook, "
                "and {friend} drew a picture beside it.",
                "{hero} and {friend} learned that the best way to find out about the world is to "
                "ask.",
            ),
        ],
    ],
)

MENDING = Plot(
    name="mending",
    troubles=[
        {
            "broken": "The wheel came off {hero}'s wooden cart and rolled away down the hill, "
            "with {friend} running after it.",
            "how": "{elder} showed {hero} and {friend} how to fit a new peg through the axle, so "
            "the wheel could not slip off again.",
            "elder": "Mr Crane",
            "places": ("Lantern Hill", "Bramble Lane", "the village green"),
        },
        {
            "broken": "The gate of {hero}'s garden hung from one hinge and scraped along the "
            "ground.",
            "how": "{elder} showed {hero} and {friend} how to hold the hinge straight and drive "
            "in new screws, one turn at a time.",
            "elder": "Uncle Fenwick",
            "places": ("the garden", "Fenwick's farm"),
        },
        {
            "broken": "{hero} and {friend} found a hole in Jonah's fishing net, big enough for a "
            "fish to swim through.",
            "how": "{elder} showed {hero} and {friend} how to tie the fisherman's knot, over and "
            "under and through, until the hole was gone.",
            "elder": "Jonah",
            "places": ("the harbour",),
        },
        {
            "broken": "The mast of {hero}'s toy boat had snapped in half when {friend} "
            "[dropped it|sat on it by accident].",
            "how": "{elder} showed {hero} and {friend} how to whittle a new mast from a straight "
            "stick and glue it into place.",
            "elder": "Captain Barnaby",
            "places": ("the harbour", "Heron Pool", "the mill"),
        },
        {
            "broken": "When {hero} and {friend} came in, the weather clock had stopped, and its "
            "black hand did not move.",
            "how": "{elder} showed {hero} and {friend} how to wind it with the brass key, forty "
            "turns exactly, no more and no less.",
            "elder": "Grandmother Nell",
            "places": ("Lantern Hill",),
        },
        {
            "broken": "The roof of the bird box in the apple tree had blown off in the night, "
            "and {friend} found it lying in the grass.",
            "how": "{elder} showed {hero} and {friend} how to measure a new piece of wood and "
            "nail it on straight.",
            "elder": "Mr Crane",
            "places": ("the orchard", "the garden"),
        },
        {
            "broken": "The handle of {hero}'s old tin lantern had come loose, and it swung about "
            "whenever {hero.he} carried it.",
            "how": "{elder} showed {hero} and {friend} how to bend the wire back into shape with "
            "a pair of pliers and fix it firm.",
            "elder": "Mr Gale",
            "places": ("Gull Point",),
        },
        {
            "broken": "{hero}'s favourite book had lost its cover, and the pages were falling "
            "out all over {friend}'s lap.",
            "how": "{elder} showed {hero} and {friend} how to sew the pages together with a "
            "needle and thread and make a new cover out of card.",
            "elder": "Mrs Dunlin",
            "places": ("the school yard",),
        },
    ],
    paragraphs=[
        [
            ("{trouble.broken}",),
            (
                "{hero} felt [sad|cross|miserable], because {hero.he} did not know how to mend it.",
                "{hero} looked at it and sighed, and {friend} sighed too.",
                "",
            ),
        ],
        [
            (
                "hero: It's broken, {friend}, and I can't fix it.",
                "hero: Now it's ruined forever, {friend}.",
            )
        ],
        [
            (
                "friend: Let's ask {elder.call}, {hero}. {elder.He} can mend anything.",
                "friend: I know who can help, {hero}. Come on!",
            )
        ],
        [
            (
                "So {hero} and {friend} went to find {elder.intro}.",
                "{hero} and {friend} ran to fetch {elder.intro}, who came at once.",
            ),
            (
                "elder: Let me see, {hero}. Ah, this is not so bad. You can mend it yourselves, "
                "if I show you how.",
                "elder: Don't worry, {hero}. Almost anything can be mended, with a little "
                "patience.",
                "",
            ),
            ("{trouble.how}",),
        ],
        [
            (
                "{hero} did the last part all alone, with {hero.his} tongue between {hero.his} "
                "teeth, while {friend} [held the light|watched|held {friend.his} breath].",
                "It took a long time, and {hero} and {friend} had to try twice, but at last it "
                "was done.",
            ),
            (
                "When {hero} and {friend} had finished, it was [as good as new|better than new].",
                "",
            ),
        ],
        [
            (
                "{hero} and {friend} learned that broken things can often be mended, if you are "
                "patient.",
                "hero: Now I know how to mend it myself, {friend}, if it ever breaks again.",
            ),
        ],
    ],
)

QUARREL = Plot(
    name="a quarrel",
    elders=(PARENT, PARENT, "Grandmother Nell", "Uncle Fenwick", "Captain Barnaby", "Mrs Penrose"),
    troubles=[
        {
            "about": "who would hold the kite string",
            "share": "took turns, ten minutes each",
            "short": "kite string",
        },
        {
            "about": "the last honey bun",
            "share": "broke the bun in half and shared it",
            "short": "honey bun",
        },
        {
            "about": "whose turn it was to row the little boat",
            "share": "rowed together, one oar each",
            "short": "little boat",
        },
        {
            "about": "who had found the biggest shell",
            "share": "put both shells side by side and decided they were exactly the same size",
            "short": "biggest shell",
        },
        {
            "about": "the rules of a game of hopscotch",
            "share": "made up new rules together",
            "short": "hopscotch rules",
        },
        {
            "about": "which way was the quickest way home",
            "share": "went home the long way together, which was the nicest way of all",
            "short": "quickest way home",
        },
        {
            "about": "whose drawing of the lighthouse was better",
            "share": "pinned both drawings on the wall, side by side",
            "short": "lighthouse drawings",
        },
        {
            "about": "who would be captain in their game of pirates",
            "share": "decided that a ship can have two captains, if they are friends",
            "short": "two captains",
        },
    ],
    paragraphs=[
        [
            (
                "{hero} and {friend} were {place.play}, but before long they began to quarrel "
                "about {trouble.about}.",
                "{hero} and {friend} had not been there long when they started to argue about "
                "{trouble.about}.",
            ),
        ],
        [
            (
                "hero: That's not fair, {friend}! I was first!",
                "hero: I'm right, {friend}, and you know it!",
            )
        ],
        [
            (
                "friend: No, you're not, {hero}! You always want your own way!",
                "friend: You're wrong, {hero}, and I'm not playing any more!",
            )
        ],
        [
            (
                "{friend} stamped off home, and {hero} stamped off home too, the other way.",
                "{hero} and {friend} turned their backs on each other and walked away.",
            ),
            (
                "{hero} told {elder.intro} about the quarrel.",
                "{elder.intro} found {hero} sitting on the step with a long face.",
            ),
        ],
        [
            (
                "elder: Being right is not as good as being friends, {hero}. Why don't you say "
                "sorry first?",
                "elder: A quarrel is like a knot, {hero}. It is easier to untie when both people "
                "pull gently.",
            ),
            (
                "So {hero} went to find {friend} and said sorry.",
                "So {hero} walked to {friend}'s house and knocked on the door.",
            ),
            (
                "friend: I'm sorry too, {hero}. I was cross for nothing.",
                "friend: I'm sorry too, {hero}. Let's not quarrel again.",
            ),
        ],
        [
            ("In the end, {hero} and {friend} {trouble.share}.",),
            (
                "{hero} learned that saying sorry is hard, but it mends things quickly, and "
                "{friend} learned it too.",
                "After that, whenever {hero} and {friend} began to quarrel, one of them would "
                'say, "Remember the {trouble.short}?" and they would both laugh.',
            ),
        ],
    ],
)

PICNIC = Plot(
    name="a picnic",
    weathers=("sunny", "cloudy", "hot"),
    places=("Lantern Hill", "the meadow", "the dunes", "Heron Pool", "the marsh", "Hollow Wood"),
    troubles=[
        {
            "problem": "But just as {hero} and {friend} sat down, big drops of rain began to fall.",
            "cry": "Rain! Our picnic will be soaked, {friend}!",
            "idea": "Quick, {hero}, under the big tree! It will keep us dry.",
            "fix": "{hero} grabbed the basket, and they ran for shelter and ate their picnic "
            "under the branches while the rain pattered on the leaves.",
            "weathers": ("cloudy",),
        },
        {
            "problem": "But when {hero} turned round, a goat from Fenwick's farm had its head in "
            "the basket and was eating the {food}.",
            "cry": "Shoo! Go away! That's our lunch!",
            "idea": "Let's give it a little bit, {hero}, and then maybe it will leave the rest "
            "alone.",
            "fix": "{friend} gave the goat a crust, and it wandered off, quite happy. There was "
            "still plenty left for {hero} and {friend}.",
        },
        {
            "problem": "But ants had found the picnic, and a long line of them was marching "
            "towards {friend}'s jam sandwich.",
            "cry": "Ants, {friend}! They're everywhere!",
            "idea": "Let's move the blanket over there, {hero}, and leave them a little jam of "
            "their own.",
            "fix": "{hero} and {friend} moved the blanket to a sunny spot and left the ants a "
            "spoonful of jam on a leaf.",
        },
        {
            "problem": "But a gust of wind lifted the blanket and blew {hero}'s napkins far away "
            "across the grass.",
            "cry": "Our napkins, {friend}! They're flying away!",
            "idea": "Let's race for them, {hero}. I'll go left, you go right.",
            "fix": "{hero} and {friend} chased the napkins all over the place and came back out "
            "of breath and laughing.",
        },
        {
            "problem": "But when {friend} opened the basket, there was no {drink}: they had "
            "left it on the kitchen table.",
            "cry": "We forgot the {drink}! And I'm so thirsty.",
            "idea": "There's a spring at the top of the path, {hero}. The water there is cold "
            "and clean.",
            "fix": "{hero} and {friend} walked to the spring and drank from their hands, and it "
            "was the best water they had ever tasted.",
        },
    ],
    paragraphs=[
        [
            (
                "{hero} carried a basket with {food}, {food2} and a bottle of {drink}.",
                "In {friend}'s basket were {food}, {food2}, and a bottle of {drink}.",
            ),
            (
                "On the way, {friend} spotted [a heron standing on one leg|a fox with a "
                "white-tipped tail|three rabbits by the path|a kestrel hovering in the sky].",
                "",
            ),
            (
                "{hero} spread out a blanket, and {friend} unpacked the {food}.",
                "{hero} and {friend} found a good spot and laid out the picnic.",
            ),
            ("{trouble.problem}",),
        ],
        [("hero: {trouble.cry}",)],
        [("friend: {trouble.idea}",)],
        [
            ("{trouble.fix}",),
            (
                "{hero} said the {food} tasted even better than usual.",
                "{hero} and {friend} ate every last crumb.",
                "",
            ),
        ],
        [
            (
                "hero: This is the best picnic we've ever had, {friend}.",
                "friend: Let's have another one next week, {hero}.",
            ),
            (
                "{hero} and {friend} learned that a little trouble can make a day more fun, not "
                "less.",
                "Even though things had not gone to plan, it was the best picnic {hero} and "
                "{friend} had ever had.",
            ),
        ],
    ],
)

HELPING = Plot(
    name="helping",
    troubles=[
        {
            "elder": "Ada",
            "job": "carry the loaves from the bakery to the market",
            "mistake": "{hero} tripped on a cobble, and three loaves rolled away down the hill",
            "fix": "{elder} laughed and gave the dusty loaves to the ducks, and sent {hero} and "
            "{friend} back for three more",
            "places": ("the market",),
        },
        {
            "elder": "Jonah",
            "job": "mend the nets on the quay",
            "mistake": "{hero}'s knots were too loose, and the mended hole opened again",
            "fix": "{elder} showed {hero} and {friend} the fisherman's knot, slowly, three "
            "times, until they could tie it with their eyes shut",
            "places": ("the harbour",),
        },
        {
            "elder": "Uncle Fenwick",
            "job": "feed the goats and collect the eggs",
            "mistake": "{hero} forgot to shut the gate, and the goats got out into the lane",
            "fix": "{hero} and {friend} chased the goats round and round, until {elder} rattled "
            "a bucket of oats and the goats came trotting back",
            "places": ("Fenwick's farm",),
        },
        {
            "elder": "Captain Barnaby",
            "job": "paint his old yellow boat",
            "mistake": "{hero} knocked over the paint pot, and yellow paint ran all over the "
            "quay and onto {friend}'s boots",
            "fix": "{elder} only laughed and said the quay had always needed brightening up",
            "places": ("the harbour",),
        },
        {
            "elder": "Miss Hartley",
            "job": "deliver the letters",
            "mistake": "the wind blew a letter out of {hero}'s hand and over a wall",
            "fix": "{hero} and {friend} climbed over the wall and found the letter in a cabbage "
            "patch, only a little bit muddy",
            "places": ("Bramble Lane", "the village green"),
        },
        {
            "elder": "Mr Pike",
            "job": "stack the apples in the shop window",
            "mistake": "{hero} took an apple from the bottom, and the whole pile rolled across "
            "the floor",
            "fix": "{elder} showed {hero} and {friend} how to build the pile from the bottom up, "
            "like a little mountain",
            "places": ("the market",),
        },
        {
            "elder": "Grandmother Nell",
            "job": "wind the weather clock",
            "mistake": "{hero} lost count at twenty-three and did not know how many turns were "
            "left",
            "fix": "{elder} showed {hero} and {friend} how to count out loud and move a bean "
            "from one bowl to another for every turn",
            "places": ("Lantern Hill",),
        },
        {
            "elder": "Mr Gale",
            "job": "polish the great glass of the lighthouse lamp",
            "mistake": "{hero} rubbed too hard with a dirty cloth and left long grey streaks on "
            "the glass",
            "fix": "{elder} gave {hero} and {friend} clean soft cloths and showed them how to "
            "polish in small circles",
            "places": ("Gull Point",),
        },
        {
            "elder": "Mrs Dunlin",
            "job": "get the classroom ready for the spring show",
            "mistake": "{hero} hung all the paintings upside down",
            "fix": "{elder} laughed until she cried, and then {hero} and {friend} turned the "
            "paintings the right way up, one by one",
            "places": ("the school yard",),
        },
        {
            "elder": "Mr Crane",
            "job": "work the bellows in the forge",
            "mistake": "{hero} pumped so hard that sparks flew up to the ceiling",
            "fix": "{elder} showed {hero} and {friend} how to pump slowly and steadily, like "
            "breathing",
            "places": ("the village green",),
        },
    ],
    paragraphs=[
        [
            (
                "{elder.intro} had asked {hero} and {friend} to help {trouble.job}.",
                "That day {hero} and {friend} had promised to help {elder.intro} {trouble.job}.",
            ),
            (
                "hero: We'll do it perfectly, {elder.call}. You'll see.",
                "hero: We can do it all by ourselves, {elder.call}!",
                "",
            ),
            ("It was hard work, but {hero} and {friend} did their best.", ""),
        ],
        [
            (
                "But then {trouble.mistake}.",
                "Then, all of a sudden, {trouble.mistake}.",
            ),
            (
                "{hero}'s face went [red|pink], and {friend} [gasped|covered {friend.his} mouth].",
                "",
            ),
        ],
        [
            (
                "hero: I'm sorry, {elder.call}! I've spoiled everything.",
                "hero: Oh no! I'm so sorry, {elder.call}!",
            )
        ],
        [
            (
                "elder: Nothing is spoiled, {hero}. Everybody makes mistakes when they are "
                "learning.",
                "elder: Don't worry, {hero}. I made the same mistake when I was your age.",
            ),
            ("{trouble.Fix}.",),
        ],
        [
            (
                "By the end of the day, {hero} and {friend} had finished the work, and done it "
                "well.",
                "After that, everything went smoothly, and {hero} and {friend} finished in good "
                "time.",
            ),
            (
                "elder: Thank you, {hero}, and you too, {friend}. I couldn't have done it without "
                "you.",
                "elder: You were a great help today, {hero}. Come back whenever you like.",
                "",
            ),
        ],
        [
            (
                "{hero} and {friend} learned that a mistake is just a lesson in disguise.",
                "{hero} felt proud all the way home, because {elder} had taught {hero.him} "
                "something new.",
            ),
        ],
    ],
)

GARDEN = Plot(
    name="a garden",
    weathers=("sunny", "cloudy", "rainy", "windy"),
    places=("the garden",),
    seasons=("spring",),
    elders=(PARENT, "Grandmother Nell", "Uncle Fenwick", "Mr Pike"),
    openings=(
        "{When}, {hero} and {pal} [went|ran] out into the garden with a packet of seeds.",
        "{hero} had been given a little patch of the garden, all of {hero.his} own. {When}, "
        "{hero} and {pal} went out to plant it.",
    ),
    troubles=[
        {
            "crop": "sunflowers",
            "pest": "the birds pecked up half the seeds",
            "fix": "made a scarecrow out of an old coat and a broom",
        },
        {
            "crop": "runner beans",
            "pest": "the slugs ate the first little leaves",
            "fix": "put a ring of crushed eggshells round every plant",
        },
        {
            "crop": "peas",
            "pest": "there was no rain for two weeks, and the soil cracked",
            "fix": "carried water from the well every evening in a watering can",
        },
        {
            "crop": "carrots",
            "pest": "a rabbit crept in and nibbled the tops",
            "fix": "built a little fence of sticks and string",
        },
        {
            "crop": "pumpkins",
            "pest": "the wind knocked the young plants flat",
            "fix": "tied each plant to a stick so that it could stand up straight",
        },
        {
            "crop": "strawberries",
            "pest": "the blackbirds found the first red berries",
            "fix": "spread a net over the bed, held down with stones",
        },
    ],
    paragraphs=[
        [
            (
                "{hero} and {friend} wanted to grow {trouble.crop}.",
                "{hero} had chosen {trouble.crop}, because {hero.he} liked them best.",
            ),
            (
                "{hero} dug the soil, {friend} made little holes with a stick, and they dropped "
                "in the seeds, one by one.",
                "{friend} raked the soil until it was fine and crumbly, and {hero} planted the "
                "seeds in a straight row.",
            ),
            (
                "hero: How long will they take to grow, {friend}?",
                "hero: I hope they grow quickly, {friend}.",
            ),
            (
                "friend: Ages, {hero}. But we have to look after them every day.",
                "friend: We'll just have to be patient, {hero}.",
            ),
        ],
        [
            (
                "Then, one {day} morning, {friend} ran in shouting: little green shoots were "
                "poking up through the soil!",
                "Then at last, one morning, {hero} found a row of tiny green leaves.",
            ),
            (
                "But soon there was trouble in {hero}'s garden: {trouble.pest}.",
                "But then {trouble.pest}, and {hero} nearly cried.",
            ),
        ],
        [
            (
                "hero: Our poor plants, {friend}! What can we do?",
                "hero: It's not fair, {friend}! They were growing so well.",
            ),
            (
                "{elder.intro} came out to see, and told them what to do.",
                "{hero} and {friend} asked {elder.intro} for help.",
            ),
        ],
        [
            ("So {hero} and {friend} {trouble.fix}.",),
            (
                "After that, {hero}'s {trouble.crop} grew and grew.",
                "After that, the {trouble.crop} grew taller every day, and so did {friend}'s "
                "smile.",
                "",
            ),
        ],
        [
            (
                "By the end of the summer, {hero} and {friend} had more {trouble.crop} than they "
                "could count.",
                "When the {trouble.crop} were ready, {hero} and {friend} shared them with "
                "everybody in the lane.",
            ),
            (
                "{hero} learned that good things take time, and need looking after, and so did "
                "{friend}.",
                "hero: Next year, let's grow twice as many, {friend}!",
                "",
            ),
        ],
    ],
)

PLOTS = (
    LOST_THING,
    ANIMAL_RESCUE,
    BAKING,
    STORM_WARNING,
    KITE,
    SANDCASTLE,
    SNOWMAN,
    FEAR,
    NEWCOMER,
    GIFT,
    QUESTION,
    MENDING,
    QUARREL,
    PICNIC,
    HELPING,
    GARDEN,
)

# ---------------------------------------------------------------------------------------------
# Filling in templates
# ---------------------------------------------------------------------------------------------

CHOICE = re.compile(r"\[([^\[\]]*)\]")
FIELD = re.compile(r"\{(\w+)(?:\.(\w+))?\}")
SPEAKERS = ("hero", "friend", "elder")
SPEECH = re.compile(r"(hero|friend|elder): (.*)", re.DOTALL)
SENTENCE_START = re.compile(r"(?<=[.!?] )[a-z]")
FIRST_SENTENCE = re.compile(r"(.*?[.!?])\s+(.*)", re.DOTALL)

SAY_VERBS = {
    ".": ("said", "said", "said", "said", "said", "said", "whispered"),
    "?": ("asked", "asked", "asked", "wondered"),
    "!": ("cried", "called", "said", "shouted"),
}


def capitalise(text: str) -> str:
    """Upper-case the first letter only: 'her mother' -> 'Her mother'."""
    return text[:1].upper() + text[1:]


def sentence_case(text: str) -> str:
    """Capitalise the first letter, and any letter that starts a sentence after '. '."""
    return capitalise(SENTENCE_START.sub(lambda match: match.group().upper(), text))


def expand_choices(template: str, rng: random.Random) -> str:
    """Replace every '[a|b|c]' with one of its choices."""
    return CHOICE.sub(lambda match: rng.choice(match.group(1).split("|")), template)


def fill_slots(template: str, slots: Slots) -> str:
    """Replace every '{slot}' or '{slot.form}'; a capital letter asks for a capital letter."""

    def replace(match: re.Match) -> str:
        name, form = match.group(1), match.group(2)
        value = slots[name.lower()]
        text = value[(form or "").lower()] if isinstance(value, dict) else value
        return capitalise(text) if (form or name)[0].isupper() else text

    return FIELD.sub(replace, template)


def render_template(template: str, slots: Slots, rng: random.Random) -> str:
    """Fill a template; slots may hold templates themselves, so fill until none is left."""
    text = template
    for _ in range(4):
        text = fill_slots(expand_choices(text, rng), slots)
        if "{" not in text and "[" not in text:
            break
    return text


def speech_comma(line: str) -> str:
    """A quoted sentence followed by 'said X' ends with a comma instead of a full stop."""
    return line[:-1] + "," if line.endswith(".") else line


def speak_line(line: str, speaker: dict[str, str], rng: random.Random, by_pronoun: bool) -> str:
    """Wrap a line of dialogue in quotes, with the speaker and a verb of saying."""
    name = speaker[""]
    first = FIRST_SENTENCE.fullmatch(line)
    shape = rng.choice([0, 1, 3] + [2] * by_pronoun + [4] * bool(first))
    if shape == 4:  # "Look!" said Mara. "The bird is singing."
        head, rest = first.group(1), first.group(2)
        return f'"{speech_comma(head)}" {rng.choice(SAY_VERBS[head[-1]])} {name}. "{rest}"'
    verb = rng.choice(SAY_VERBS[line[-1]])
    if shape == 0:
        return f'"{speech_comma(line)}" {verb} {name}.'
    if shape == 1:
        return f'"{speech_comma(line)}" {name} {verb}.'
    if shape == 2:
        return f'"{speech_comma(line)}" {speaker["he"]} {verb}.'
    return f'{capitalise(name)} {verb}, "{line}"'


def clear_pronoun(speaker: str, slots: Slots) -> bool:
    """Whether 'she said' can only mean this speaker: nobody else in the cast is a 'she'."""
    others = [slots[who]["he"] for who in SPEAKERS if who != speaker]
    return slots[speaker]["he"] not in others


def render_beat(template: str, slots: Slots, rng: random.Random) -> str:
    """Write out one template: narration, or a line of dialogue with its speaker."""
    speech = SPEECH.fullmatch(template)
    if speech is None:
        return sentence_case(render_template(template, slots, rng))
    speaker = speech.group(1)
    if speaker == "friend":  # the friend may call a grown-up differently from the hero
        slots = {**slots, "elder": slots["elder_to_friend"]}
    line = sentence_case(render_template(speech.group(2), slots, rng))
    return speak_line(line, slots[speaker], rng, clear_pronoun(speaker, slots))


def render_paragraphs(beats: list[Beat], slots: Slots, rng: random.Random) -> list[str]:
    """Write the beats of a paragraph; a new speaker starts a new paragraph, as in a book."""
    paragraphs: list[list[str]] = [[]]
    last_speaker = None
    for beat in beats:
        template = rng.choice(beat)
        if not template:
            continue
        speech = SPEECH.fullmatch(template)
        speaker = speech.group(1) if speech else None
        if speaker and last_speaker and speaker != last_speaker:
            paragraphs.append([])
        last_speaker = speaker or last_speaker
        paragraphs[-1].append(render_beat(template, slots, rng))
    return [" ".join(sentences) for sentences in paragraphs if sentences]


# ---------------------------------------------------------------------------------------------
# Casting a story: who, where, when, and what goes wrong
# ---------------------------------------------------------------------------------------------

LITTLE_ONES = (
    Person("Pip", "he", 4),
    Person("Daisy", "she", 4),
    Person("Bo", "he", 4),
    Person("Lottie", "she", 4),
    Person("Alfie", "he", 4),
    Person("Tilly", "she", 4),
)


def pick_when(rng: random.Random, time: str, season: str, month: str, day: str) -> str:
    """A phrase that starts a story: 'One Tuesday morning', 'Early one winter evening'."""
    early = "Early" if time == "morning" else "Late"
    return rng.choice(
        (
            f"one {day} {time}",
            f"one {time} in {month}",
            f"{early.lower()} one {season} {time}",
            f"on a {AIR[season]} {month} {time}",
            f"one {time} at the start of the {season} holidays",
        )
    )


def pick_weather(
    rng: random.Random, weathers: tuple[str, ...], seasons: tuple[str, ...]
) -> tuple[str, str]:
    """A kind of weather allowed by the plot, and a season it can happen in."""
    possible = [w for w in weathers if set(WEATHER_SEASONS[w]) & set(seasons)]
    if not possible:
        raise ValueError(f"no weather in {weathers} happens in {seasons}")
    weather = rng.choice(possible)
    season = rng.choice([s for s in WEATHER_SEASONS[weather] if s in seasons])
    return weather, season


def pick_pair(rng: random.Random, plot: Plot) -> tuple[Person, Person]:
    """The hero and a friend: two different children (a newcomer is never a Quill)."""
    hero = rng.choice(CHILDREN)
    friends = [c for c in CHILDREN if c is not hero and not (plot.friend_is_new and c.family)]
    return hero, rng.choice(friends)


def pal_words(hero: Person, friend: Person) -> tuple[str, str]:
    """How the hero's friend is first named ('her brother Tobin') and what they are to the hero."""
    kind = (
        SIBLING_NOUN[friend.pronoun] if hero.family and hero.family == friend.family else "friend"
    )
    return f"{PRONOUNS[hero.pronoun]['his']} {kind} {friend.name}", kind


def trouble_words(trouble: dict, rng: random.Random) -> dict[str, str]:
    """The chosen trouble's templates; an animal gets an adjective and an article."""
    words = {key: value for key, value in trouble.items() if isinstance(value, str)}
    if "animal" in trouble:
        animal = f"{rng.choice(trouble['adjectives'])} {trouble['animal']}"
        words["a"], words["the"] = with_article(animal), "the " + animal
    return words


def cast_story(rng: random.Random, plot: Plot) -> Slots:
    """Choose everything a story's templates may ask for."""
    trouble = rng.choice(plot.troubles)
    seasons = trouble.get("seasons", plot.seasons)
    weather, season = pick_weather(rng, trouble.get("weathers", plot.weathers), seasons)
    time = rng.choice(trouble.get("times", TIMES))
    month, day = rng.choice(SEASONS[season]), rng.choice(DAYS)
    place = PLACES_BY_NAME[rng.choice(trouble.get("places", plot.places))]
    hero, friend = pick_pair(rng, plot)
    elder_name = trouble.get("elder") or rng.choice(plot.elders or tuple(ADULTS_BY_NAME))
    elder = parent_of(hero, rng) if elder_name == PARENT else ADULTS_BY_NAME[elder_name]
    pal, pal_kind = pal_words(hero, friend)
    noun, plural, adjectives = rng.choice(THINGS)
    dish_noun, dish_plural, dish_short = rng.choice(DISHES)
    food, food2 = rng.sample(FOODS, 2)
    colour = rng.choice(COLOURS)
    hero_words = person_words(hero)
    if rng.random() < 0.6:  # most of the time, a trait any child might have
        hero_words["trait"] = rng.choice(TRAITS)
    return {
        "hero": hero_words,
        "friend": person_words(friend),
        "elder": elder_words(elder, hero, hero),
        "elder_to_friend": elder_words(elder, hero, friend),
        "other": person_words(rng.choice(LITTLE_ONES)),
        "pal": pal,
        "pal_kind": pal_kind,
        "place": place_words(place, rng),
        "weather": weather,
        "when": pick_when(rng, time, season, month, day),
        "time": time,
        "day": day,
        "month": month,
        "season": season,
        "air": AIR[season],
        "direction": rng.choice(DIRECTIONS),
        "count": rng.choice(NUMBER_WORDS[3:8]),
        "colour": {"": colour, "a": with_article(colour)},
        "thing": thing_words(f"{rng.choice(adjectives)} {noun}", plural, noun),
        "dish": thing_words(dish_noun, dish_plural, dish_short),
        "ingredient": thing_words(*rng.choice(INGREDIENTS)),
        "food": food,
        "food2": food2,
        "drink": rng.choice(DRINKS),
        "supper": rng.choice(SUPPERS),
        "dream": rng.choice(DREAMS),
        "occasion": rng.choice(OCCASIONS),
        "teller": rng.choice([t for t in TELLERS if elder.name not in t]),
        "trouble": trouble_words(trouble, rng),
    }


# ---------------------------------------------------------------------------------------------
# Stories and the corpus
# ---------------------------------------------------------------------------------------------


def opening_paragraph(plot: Plot, slots: Slots, rng: random.Random) -> str:
    """Who, when and where, then the weather, and sometimes a sign of the season."""
    beats: list[Beat] = [plot.openings]
    if rng.random() < 0.7:
        beats.append((rng.choice(WEATHER_LEADS) + rng.choice(WEATHER_SENTENCES[slots["weather"]]),))
    if slots["weather"] in DRY_WEATHERS and rng.random() < 0.2:
        beats.append(SEASON_SENTENCES[slots["season"]])
    return " ".join(render_paragraphs(beats, slots, rng))


def generate_story(rng: random.Random) -> str:
    """One short story of at most MAX_WORDS words; a longer draft is thrown away."""
    while True:
        story = draft_story(rng)
        if len(story_words(story)) <= MAX_WORDS:
            return story


def draft_story(rng: random.Random) -> str:
    """One story: an opening, the paragraphs of a plot, and sometimes a closing sentence."""
    plot = rng.choice(PLOTS)
    slots = cast_story(rng, plot)
    paragraphs = [opening_paragraph(plot, slots, rng)]
    for beats in plot.paragraphs:
        paragraphs += render_paragraphs(beats, slots, rng)
    if rng.random() < 0.5:
        closing = render_beat(rng.choice(CLOSINGS), slots, rng)
        if '"' in paragraphs[-1]:
            paragraphs.append(closing)
        else:
            paragraphs[-1] += " " + closing
    return "\n\n".join(paragraphs)


def story_rng(seed: int, index: int) -> random.Random:
    """The random generator of one story: a str seed is hashed by sha512, the same on every run.

    (Python's hash() of a str changes with PYTHONHASHSEED, but random.Random does not use it.)
    """
    return random.Random(f"saltmere-{seed}-{index}")


def generate_stories(seed: int, num_stories: int) -> str:
    """Many stories, with GPT-2's <|endoftext|> on a line of its own between them."""
    stories = [generate_story(story_rng(seed, index)) for index in range(num_stories)]
    return STORY_SEPARATOR.join(stories)


def write_corpus(
    train_stories: int = TRAIN_STORIES, val_stories: int = VAL_STORIES, out_dir: Path = DATA_DIR
) -> tuple[Path, Path]:
    """Write the training and validation stories, each file ending with a newline."""
    paths = (out_dir / TRAIN_FILE, out_dir / VAL_FILE)
    for path, seed, count in zip(
        paths, (TRAIN_SEED, VAL_SEED), (train_stories, val_stories), strict=True
    ):
        path.write_text(generate_stories(seed, count) + "\n", encoding="utf-8", newline="\n")
    return paths


# ---------------------------------------------------------------------------------------------
# Measuring a corpus: stories, sentences, words
# ---------------------------------------------------------------------------------------------

WORD = re.compile(r"[A-Za-z]+(?:['-][A-Za-z]+)*")
SENTENCE_BREAK = re.compile(r'[.!?]"?\s+(?=["A-Z])')
SAY_VERB_NAMES = sorted({verb for verbs in SAY_VERBS.values() for verb in verbs})
SPEECH_TAG = re.compile(r"[A-Z][\w']*(?: [\w']+){0,2} (?:" + "|".join(SAY_VERB_NAMES) + r")\b")


def split_stories(text: str) -> list[str]:
    """The stories of a corpus, without the separators."""
    return [story.strip() for story in text.split(STORY_SEPARATOR.strip()) if story.strip()]


def split_sentences(text: str) -> list[str]:
    """Sentences, split after . ! or ? outside quotes: a quotation and its tag stay together.

    '"Look!" said Mara.' and '"Look!" Mara said.' are one sentence each.
    """
    sentences = []
    for paragraph in text.split("\n"):
        paragraph = paragraph.strip()
        if not paragraph or paragraph == STORY_SEPARATOR.strip():
            continue
        start = 0
        for match in SENTENCE_BREAK.finditer(paragraph):
            end = match.start() + len(match.group().rstrip())
            tag_follows = paragraph[end - 1] == '"' and SPEECH_TAG.match(paragraph, match.end())
            if paragraph.count('"', start, end) % 2 == 0 and not tag_follows:
                sentences.append(paragraph[start:end])
                start = match.end()
        sentences.append(paragraph[start:])
    return sentences


def story_words(text: str) -> list[str]:
    """The words of a text, lower-cased, without the <|endoftext|> separators."""
    return WORD.findall(text.replace(STORY_SEPARATOR.strip(), " ").lower())


if __name__ == "__main__":
    for written in write_corpus():
        print(f"wrote {written} ({written.stat().st_size:,} bytes)")
