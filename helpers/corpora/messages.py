"""Short weather messages from Saltmere, labelled fair weather or storm warning: Chapter 6's data.

Chapter 6 finetunes the course's small GPT to read a message and say which of two kinds it is:
0, "fair weather", or 1, "storm warning". The messages are notes that the people of Saltmere
leave for each other ("A letter from Grandmother Nell. The glass is falling fast. Bring the
boats in."), written so that counting weather words is not enough to tell the two apart.

How a message is made: pick its label, then write, in this order,

- sometimes an opening that says who it is from or for ("From the harbour master.");
- sometimes a neutral sentence ("Supper is at six."), here or after the weather;
- one or two weather sentences that carry the label, on two different topics (the weather clock,
  the glass, the sea, the wind, the gulls, the red flag, ...);
- sometimes a piece of advice that fits the label ("Bring the boats in.");
- sometimes a sign-off ("From Uncle Fenwick."), if there was no opening.

A message's weather sentences are all plain ("The glass is climbing steadily.") or, in about two
messages out of five, all negated: each names a word or sign of the other label (a storm, the
calm, the sun, a falling glass) and turns it round with not, no, never, but, or a verb that ends
it ("No storm is coming this evening; the wind has dropped.", "The calm will not last past
lunch.", "The gale has blown itself out."). Such a message's label hinges on the negation, and
a rule that counts storm words and fair words (``keyword_baseline``) gets most of them wrong.
Neutral sentences use weather words in other senses (the village fair, Mr Gale the lighthouse
keeper) in both labels alike.

A template is written as in ``helpers.corpora.stories``: ``[a|b]`` picks one choice and ``{slot}``
is a word chosen for the message. Six words occur only in the test split (``TEST_ONLY_WORDS``): in
about a fifth of test messages, the first weather sentence fills its slots ``{storm}``, ``{clear}``,
``{calm}``, ``{fine}`` and ``{quiet}`` with them instead of the usual words ("A squall is coming in
from the west by evening."), so a test can ask whether a model reads the rest of the sentence or
only knows the words it was trained on.

What it leaves out: the mess of real messages (these are short, tidy and always grammatical),
spelling mistakes, questions and replies, jokes and sarcasm, weather that is neither fair nor
stormy (fog, snow, a grey day), messages that disagree with themselves, and any label other
than these two. Every template was written for this course.

Run ``python -m helpers.corpora.messages`` to write ``data/messages_train.tsv``,
``data/messages_val.tsv`` and ``data/messages_test.tsv``; the same command always writes the
same bytes.
"""

import random
import re
from dataclasses import dataclass
from pathlib import Path

from helpers.corpora.stories import (
    CHILDREN,
    DIRECTIONS,
    Slots,
    person_words,
    render_template,
    story_words,
)
from helpers.paths import DATA_DIR

LABELS = ("fair weather", "storm warning")
FAIR, STORM = 0, 1
TRAIN_FILE = "messages_train.tsv"
VAL_FILE = "messages_val.tsv"
TEST_FILE = "messages_test.tsv"
HEADER = "label\ttext"
# (split, file, number of messages); half of each split has each label.
SPLITS = (("train", TRAIN_FILE, 1400), ("val", VAL_FILE, 200), ("test", TEST_FILE, 400))
MIN_WORDS, MAX_WORDS = 8, 40  # a draft outside this range is thrown away and written again

# How often each part of a message is there (the weather sentence always is).
OPENING_SHARE = 0.4
FILLER_SHARE = 0.3
SECOND_WEATHER_SHARE = 0.35
NEGATED_SHARE = 0.4  # of messages: then all their weather sentences are negated
ADVICE_SHARE = 0.45
NEGATED_ADVICE_SHARE = 0.3
SIGN_OFF_SHARE = 0.15
TEST_ONLY_SHARE = 0.2  # of test messages

# ---------------------------------------------------------------------------------------------
# Words for the slots of a template
# ---------------------------------------------------------------------------------------------

# The slots that have test-only words: the words train and validation use, and those words.
COMMON_SLOTS = {
    "storm": ("storm", "gale"),
    "clear": ("clear", "blue", "bright"),  # a sky
    "calm": ("calm", "flat", "still", "glassy"),  # the sea
    "fine": ("fine", "sunny", "warm", "fair"),  # a day, the weather
    "quiet": ("quiet", "calm", "still"),  # a night on the water
}
TEST_ONLY_SLOTS = {
    "storm": ("tempest", "squall", "hurricane"),
    "clear": ("cloudless",),
    "calm": ("tranquil",),
    "fine": ("balmy",),
    "quiet": ("tranquil",),
}
TEST_ONLY_WORDS = tuple(dict.fromkeys(w for words in TEST_ONLY_SLOTS.values() for w in words))
TEST_ONLY_SLOT = re.compile(r"\{(?:" + "|".join(TEST_ONLY_SLOTS) + r")\}")

BY_WHEN = (
    *("by evening", "before dark", "by morning", "by supper"),
    *("by lunch", "this evening", "in the night", "this afternoon"),
)
ALL_WHEN = (
    *("all day", "all afternoon", "until evening", "all week", "until Sunday"),
    *("for the rest of the day", "tomorrow", "today"),
)
SUN_WHEN = ("by morning", "by lunch", "this afternoon", "tomorrow morning")  # when the sun is up
HOURS = ("lunch", "supper", "the afternoon", "this evening")
DAY_PARTS = ("morning", "afternoon", "evening", "day")
QUILLS = ("Mara", "Tobin")  # the children who read the weather clock on Lantern Hill

# The keyword rule's word lists: the weather words of the train templates, nothing else.
STORM_WORDS = frozenset(
    ("storm", "gale", "wind", "windy", "rain", "raining", "thunder", "lightning", "cloud")
    + ("clouds", "dark", "black", "grey", "heavy", "wild", "wet", "cold", "waves")
)
FAIR_WORDS = frozenset(
    ("calm", "clear", "fair", "fine", "sunny", "sun", "bright", "blue", "quiet", "still")
    + ("flat", "glassy", "gentle", "light", "soft", "warm", "dry", "summer")
)
TIE_LABEL = FAIR  # the keyword rule's answer when the two counts are equal

# ---------------------------------------------------------------------------------------------
# Weather sentences, by label, plain or negated, and topic
# ---------------------------------------------------------------------------------------------

# A topic's sentences are about one thing, so that a message's two sentences do not repeat it.
Templates = dict[str, tuple[str, ...]]

# Most sentences come in mirrored pairs, the same frame with the other label's words ("The glass
# is falling fast." / "The glass is climbing fast."), so that the little words (not, no, must,
# by evening, all day) occur under both labels and only their combination tells them apart.

STORM_PLAIN: Templates = {
    "storm": (
        "A {storm} is coming in from the {direction} {by_when}.",
        "There will be a {storm} over Saltmere {by_when}.",
        "A [big|bad|wild] {storm} will reach the harbour {by_when}.",
        "A {storm} is on its way from the {direction}, with heavy rain behind it.",
        "The {storm} will be here {by_when}, with wind and rain.",
    ),
    "clock": (
        "The hand of the weather clock has moved to the black cloud with the lightning.",
        "The hand of the weather clock has gone right down to the storm sign.",
        "The little yellow bird on the weather clock gave a long, low whistle [this morning|at "
        "breakfast].",
        "{quill} read the weather clock [this morning|at breakfast], and the hand pointed to wind.",
        "The weather clock has moved to wind and rain, and it is never wrong.",
    ),
    "glass": (
        "The glass is falling fast.",
        "The glass in the harbour office has dropped [all morning|since breakfast].",
        "The glass in Captain Barnaby's window has gone down since breakfast.",
        "The glass is falling fast, and the sky is growing dark.",
    ),
    "birds": (
        "The gulls have left the sea and are sitting in the meadow.",
        "Every gull in Saltmere has gone up to the top field on Fenwick's farm.",
        "The herons have left Heron Pool, and Marigold the cow is lying down in her field.",
        "The swallows are flying low over the meadow before the rain.",
    ),
    "flag": (
        "The red flag is up on the harbour wall.",
        "Captain Barnaby has put the red flag up over the quay: a {storm} is coming.",
    ),
    "sea": (
        "The waves are coming over the old sea wall.",
        "There are white horses all across the bay, and spray is flying over the quay.",
        "The sea is wild and grey [out past Gull Point|outside the harbour].",
        "Big waves are coming in from the {direction}, and the sea is growing wild.",
        "The water in the harbour is dark and wild.",
        "The sea will be wild and the sky dark {all_when}.",
    ),
    "wind": (
        "The wind is growing strong and will be blowing hard from the {direction} all night.",
        "A wild wind is already howling round the chimneys on Lantern Hill.",
        "The wind has gone round to the {direction}, and it is growing strong.",
        "There is a strong wind from the {direction}.",
    ),
    "rain": (
        "Rain will come down in sheets {by_when}.",
        "There will be heavy rain {by_when}, and the marsh will be under water.",
        "The rain will come down in buckets {by_when}, and the lane by the mill will be full of "
        "puddles.",
        "It will stay wet and wild {all_when}.",
        "A cold, wet {day_part} is on its way.",
    ),
    "sky": (
        "There are black clouds over Gull Point, and they are coming this way.",
        "The clouds out at sea are dark, and there is thunder far away.",
        "The sky over the bay has turned dark and heavy.",
        "There was a red sky at dawn, and the air smells of thunder.",
        "The sky is grey from edge to edge.",
        "The rain will fall on Saltmere {all_when}.",
        "It will be windy over the marsh {all_when}.",
        "It will be a wild {day_part} with a dark sky.",
    ),
    "spell": (
        "There will be wild weather {all_when}.",
        "It will be wet and windy {all_when}.",
        "It will be wild weather for the village fair.",
    ),
}

FAIR_PLAIN: Templates = {
    "storm": (
        "There will be sun over Saltmere {sun_when}.",
        "The sun will be on the harbour {sun_when}.",
        "The {fine} weather is on its way from the {direction}, with a soft wind behind it.",
        "The sun will be here {sun_when}, with a light wind.",
    ),
    "clock": (
        "The hand of the weather clock has moved to the sun.",
        "The hand of the weather clock has gone right up to the sun.",
        "The little yellow bird on the weather clock gave two quick whistles [this morning|at "
        "breakfast].",
        "{quill} read the weather clock [this morning|at breakfast], and the hand pointed to the "
        "sun.",
        "The weather clock has moved to the sun, and it is never wrong.",
    ),
    "glass": (
        "The glass is climbing fast.",
        "The glass in the harbour office has climbed [all morning|since breakfast].",
        "The glass in Captain Barnaby's window has gone up since breakfast.",
        "The glass is climbing fast, and the sky is growing bright.",
    ),
    "birds": (
        "The gulls have left the meadow and are out over the sea.",
        "Every gull in Saltmere has gone out to sea to fish.",
        "The herons are back in Heron Pool, and Marigold the cow is out in the top field.",
        "The swallows are flying high over the meadow in the sun.",
    ),
    "flag": (
        "The red flag is down on the harbour wall.",
        "Captain Barnaby has taken the red flag down from the quay, and the sun is out.",
    ),
    "sea": (
        "The sea is lying still at the foot of the old sea wall.",
        "The bay is {calm}, and the children are swimming off the quay.",
        "The sea is {calm} and blue [out past Gull Point|outside the harbour].",
        "There are only small waves from the {direction}, and the sea is growing {calm}.",
        "The water in the harbour is like glass.",
        "The sea will be calm and the sky {clear} {all_when}.",
        "The sea in the bay is as {calm} as a mill pond.",
    ),
    "wind": (
        "The wind is dropping and will be gentle from the {direction} all day.",
        "A soft wind is blowing over Lantern Hill, just enough to turn the mill.",
        "The wind has gone round to the {direction}, and it is growing gentle.",
        "There is only a light wind from the {direction}.",
    ),
    "rain": (
        "The sun will come out {sun_when}.",
        "It will stay dry {all_when}, and the marsh will dry out.",
        "The puddles in the lane by the mill will be dry {by_when}.",
        "It will stay dry and {fine} {all_when}.",
        "A warm, dry {day_part} is on its way.",
    ),
    "sky": (
        "There are only small white clouds over Gull Point, and they are going away.",
        "The sky out at sea is {clear}, and the sun is warm.",
        "The sky over the bay has turned blue and bright.",
        "There was a red sky last night, and the air smells of summer.",
        "The sky is {clear} from edge to edge.",
        "The sky will clear {by_when}.",
        "The sun will shine on Saltmere {all_when}.",
        "It will be sunny over the marsh {all_when}.",
        "It will be a {fine} {day_part} with a {clear} sky.",
    ),
    "spell": (
        "There will be fair weather {all_when}.",
        "It will be {fine} weather {all_when}.",
        "It will be {fine} weather for the village fair.",
    ),
}

STORM_NEGATED: Templates = {
    "storm": (
        "No {fine} weather is coming this week; the wind is growing strong.",
        "No sun is coming, and the sky will stay grey {all_when}.",
        "The {fine} weather went away in the night.",
        "Captain Barnaby is sure there will be no sun {sun_when}.",
        "No one will see the sun {all_when}.",
    ),
    "sky": (
        "Don't trust the {clear} sky: the glass is falling fast.",
        "Never mind the {clear} sky: dark clouds are coming from the {direction}.",
        "The sky will not stay {clear} for long.",
        "The sky will not clear {all_when}.",
        "A {clear} sky? Not for long.",
        "The sun will not be out for long.",
        "Never mind the sunny [morning|afternoon]: the gulls are coming in from the sea.",
        "The sun won't be out for long: black clouds are coming up behind Lantern Hill.",
        "There is not a bit of blue sky over Lantern Hill.",
        "The {clear} sky has gone, and heavy clouds are coming over the hills.",
        "The sun has gone, and the clouds are black over a wild sea.",
        "There is no summer in the air today.",
    ),
    "sea": (
        "The calm will not last past {hour}.",
        "The calm will not last past {hour}; a wild wind is on its way.",
        "The sea is not as {calm} as it looks.",
        "The sea won't stay {calm} for long.",
        "It will not be a {quiet} night on the water.",
        "The calm has gone, and the waves are coming up again.",
        "The sea is not {calm} at all today.",
        "There are no boats out on the bay today.",
    ),
    "spell": (
        "This {fine} weather is nearly over.",
        "This {fine} weather is nearly over, and heavy rain is on its way.",
        "There will be no more {fine} days this week.",
        "The {fine} weather will not last the day.",
        "The fair weather is over.",
        "The sun is out now, but it won't last past {hour}.",
    ),
    "clock": (
        "The hand of the weather clock has moved away from the sun.",
        "The hand of the weather clock has left the sun behind and is moving towards rain.",
        "The bird on the weather clock has stopped singing for fine weather.",
    ),
    "glass": (
        "The glass has stopped climbing.",
        "The glass is not climbing any more.",
        "The sun is out, but the glass is not steady any more.",
    ),
    "birds": (
        "The gulls are not out fishing on the bay today.",
        "The swallows are not flying high today; they are flying low over the meadow.",
        "The gulls have not gone out to sea; they are hiding in the meadow.",
    ),
    "flag": ("Captain Barnaby will not take the red flag down today.",),
    "wind": (
        "The wind is gentle now, but it will not stay that way.",
        "The light wind of this morning will not last past {hour}.",
        "The light wind will not last: a {storm} is coming from the {direction}.",
        "The sun has gone, and the air is cold and wet.",
        "The sun has gone away behind the clouds.",
        "There won't be any sun {all_when}.",
    ),
    "rain": (
        "The dry weather is over.",
        "No one will stay dry this evening.",
        "The dry weather is over, and the rain will come down in sheets {by_when}.",
        "There is no sign of the sun.",
        "There is no sign of the sun: the sky is grey and the sea is wild.",
        "There will not be a bit of sun {all_when}.",
        "The sun has gone and will not be back this week.",
        "Uncle Fenwick is sure the hay will not stay dry.",
    ),
}

FAIR_NEGATED: Templates = {
    "storm": (
        "No {storm} is coming this evening; the wind has dropped.",
        "No {storm} is coming, and the sky will stay {clear} {all_when}.",
        "The {storm} has blown itself out.",
        "The {storm} went round Saltmere and out to sea.",
        "Captain Barnaby is sure there will be no {storm} {by_when}.",
        "The {storm} warning is over.",
        "No one needs to worry about the {storm}: it has passed us by.",
    ),
    "sky": (
        "Don't trust the dark clouds: the glass is climbing fast.",
        "Never mind the grey sky: a warm wind is coming from the {direction}.",
        "The sky will not stay grey for long.",
        "A grey sky? Not for long.",
        "The rain will not be here for long.",
        "Never mind the wet [morning|afternoon]: the gulls are going out to sea.",
        "The rain won't last for long: the sun is coming up behind Lantern Hill.",
        "There is not a cloud over Lantern Hill.",
        "The [dark|black|heavy] clouds have blown away over the hills.",
        "The clouds have gone, and the sun is shining on a {calm} sea.",
        "There is no thunder in the air today.",
    ),
    "sea": (
        "The {storm} will not last past {hour}.",
        "The {storm} will not last past {hour}; a soft wind is on its way.",
        "The sea is not as wild as it looks.",
        "The sea won't stay wild for long.",
        "It will not be a wild night on the water.",
        "The waves have gone down, and the sea is {calm} again.",
        "The sea is not wild at all today.",
        "There are no white horses on the bay today.",
    ),
    "spell": (
        "This {storm} is nearly over.",
        "This wet weather is nearly over, and the sun is on its way.",
        "There will be no more wet days this week.",
        "The rain will not last the day.",
        "The {storm} is over.",
        "It is raining now, but it won't last past {hour}.",
    ),
    "clock": (
        "The hand of the weather clock has moved away from the storm sign.",
        "The hand of the weather clock has left the rain behind and is moving towards the sun.",
        "The bird on the weather clock has stopped singing for wind.",
    ),
    "glass": (
        "The glass has stopped falling.",
        "The glass is not falling any more.",
        "It is raining, but the glass is climbing again.",
    ),
    "birds": (
        "The gulls are not hiding in the meadow today.",
        "The swallows are not flying low today; they are flying high over the meadow.",
        "The gulls have not left the sea; they are fishing in the bay.",
    ),
    "flag": (
        "Captain Barnaby will not put the red flag up today.",
        "There is no red flag on the harbour wall today.",
    ),
    "wind": (
        "The wind is wild now, but it will not stay that way.",
        "The strong wind of this morning will not last past {hour}.",
        "The strong wind will not last: {fine} weather is coming from the {direction}.",
        "The wind has dropped, and the air is soft and warm.",
        "The wind has dropped away to nothing.",
        "There won't be any wind {all_when}.",
    ),
    "rain": (
        "The wet weather is over.",
        "No one will get wet this evening.",
        "The wet weather is over, and the sun will be out {sun_when}.",
        "There is no sign of rain.",
        "There is no sign of rain: the sky is {clear} and the sea is {calm}.",
        "There will not be a drop of rain {all_when}.",
        "The rain has stopped and will not be back this week.",
        "Uncle Fenwick is sure there will be no rain before the hay is in.",
    ),
}

WEATHER: dict[tuple[int, bool], Templates] = {
    (STORM, False): STORM_PLAIN,
    (STORM, True): STORM_NEGATED,
    (FAIR, False): FAIR_PLAIN,
    (FAIR, True): FAIR_NEGATED,
}

# ---------------------------------------------------------------------------------------------
# Advice, openings, neutral sentences, sign-offs
# ---------------------------------------------------------------------------------------------

ADVICE: dict[tuple[int, bool], tuple[str, ...]] = {
    (STORM, False): (
        "Bring the boats in.",
        "It is time to bring the boats in.",
        "The hen house must be tied down.",
        "The boats must go high up the beach.",
        "Every boat must be tied twice.",
        "The children must stay at home all day.",
        "The sheep must come down from the top field.",
        "The washing must come in before the rain.",
        "It is time to put the goats in the barn.",
        "It is a bad day to take the boat out to Gull Point.",
        "It is a bad day to paint the boats.",
        "Go and help tie down the boats.",
    ),
    (STORM, True): (
        "No boat can go out past Gull Point today.",
        "Don't put the washing out.",
        "The children must not go out to the rock pools.",
        "No boat will leave the harbour today.",
        "It is no day for a picnic on Lantern Hill.",
        "You won't get far without your umbrella.",
    ),
    (FAIR, False): (
        "Let the boats go out.",
        "It is time to take the boats out.",
        "The washing must go out early.",
        "The boats must all go out to fish.",
        "Every boat can go out today.",
        "The children can go down to the beach all day.",
        "The sheep can go up to the top field.",
        "The washing can stay out all day.",
        "It is time to put the goats out in the field.",
        "It is a good day to take the boat out to Gull Point.",
        "It is a good day to paint the boats.",
        "Go and fly a kite on the dunes.",
    ),
    (FAIR, True): (
        "There's no need to bring the boats in.",
        "Don't bring the washing in.",
        "The children must not stay at home all day.",
        "No boat will stay in the harbour today.",
        "You won't need your umbrella.",
        "No one needs to tie the boats twice.",
    ),
}

OPENINGS = (
    "From the harbour master.",
    "A word from Captain Barnaby at the harbour.",
    "A letter from Grandmother Nell.",
    "From Mr Gale at the lighthouse.",
    "{child}, run and tell your [father|mother|grandmother].",
    "{child}, tell everyone on the quay.",
    "A letter for all the fishermen of Saltmere.",
    "Uncle Fenwick sent word from the farm.",
    "Captain Barnaby asked me to tell you.",
    "A letter for the Quills on Lantern Hill.",
    "Miss Hartley at the post office asked me to tell you this.",
    "{child}, listen.",
)

# Neutral news: the same in both labels; a few use weather words in another sense.
FILLERS = (
    "The post boat leaves at twelve.",
    "Supper is at six.",
    "Mr Pike has fresh bread today.",
    "The school bell will ring at nine as usual.",
    "The village fair is on Saturday.",
    "Mr Gale has mended the big lamp at last.",
    "Miss Hartley has a letter for the Quills.",
    "{child} has lost {child.his} red scarf again.",
    "Ada has made a plum cake for Sunday.",
    "The lifeboat crew will have supper at the inn on Friday.",
    "Widow Oakes has honey at the market.",
    "{child} found a blue shell on the beach.",
    "Biscuit the dog is asleep by the fire.",
    "Marigold the cow got out of her field again.",
    "Doctor Bell is away until Thursday.",
    "Biscuit the dog is afraid of thunder.",
    "{child} is painting a picture of a storm at sea.",
    "Mrs Penrose has fish pie at the inn this evening.",
)

SIGN_OFFS = (
    "From Grandmother Nell, with love.",
    "From Uncle Fenwick.",
    "From Captain Barnaby.",
    "Your friend, Mr Gale.",
)

# ---------------------------------------------------------------------------------------------
# Writing one message
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Message:
    """One message: its text, its label, and how it was made."""

    text: str
    label: int
    negated: bool  # every weather sentence is negated: the label hinges on the negation
    test_only: bool  # one weather sentence uses TEST_ONLY_WORDS


def pick_slots(rng: random.Random) -> Slots:
    """The words a template may ask for: weather words, times, a direction, a child."""
    slots: Slots = {name: rng.choice(words) for name, words in COMMON_SLOTS.items()}
    slots.update(
        direction=rng.choice(DIRECTIONS),
        by_when=rng.choice(BY_WHEN),
        all_when=rng.choice(ALL_WHEN),
        sun_when=rng.choice(SUN_WHEN),
        hour=rng.choice(HOURS),
        day_part=rng.choice(DAY_PARTS),
        quill=rng.choice(QUILLS),
        child=person_words(rng.choice(CHILDREN)),
    )
    return slots


def pick_test_only_words(rng: random.Random) -> Slots:
    """Test-only words for the slots that have them."""
    return {name: rng.choice(words) for name, words in TEST_ONLY_SLOTS.items()}


def pick_weather(
    rng: random.Random, label: int, negated: bool, avoid: str = "", test_only: bool = False
) -> tuple[str, str]:
    """A weather template and its topic, not the topic avoid; test_only asks for a slot."""
    choices = [
        (topic, template)
        for topic, templates in WEATHER[label, negated].items()
        if topic != avoid
        for template in templates
        if not test_only or TEST_ONLY_SLOT.search(template)
    ]
    return rng.choice(choices)


def weather_sentences(
    rng: random.Random, label: int, test_only: bool = False
) -> tuple[list[str], bool]:
    """One or two weather sentences on different topics, all plain or all negated.

    Returns the sentences and whether they are negated. Each sentence picks its own words and
    times; with test_only=True the first one fills its slots with test-only words.
    """
    negated = rng.random() < NEGATED_SHARE
    count = 2 if rng.random() < SECOND_WEATHER_SHARE else 1
    sentences, topic = [], ""
    for index in range(count):
        rare = test_only and index == 0
        topic, template = pick_weather(rng, label, negated, topic, rare)
        slots = pick_slots(rng)
        if rare:
            slots.update(pick_test_only_words(rng))
        sentences.append(render_template(template, slots, rng))
    return sentences, negated


def draft_message(rng: random.Random, label: int, test_only: bool = False) -> Message:
    """Opening, neutral news, weather, advice and sign-off, each there or not by chance."""
    slots = pick_slots(rng)
    before, after = [], []
    opening = rng.random() < OPENING_SHARE
    if opening:
        before.append(rng.choice(OPENINGS))
    if rng.random() < FILLER_SHARE:
        (before if rng.random() < 0.5 else after).append(rng.choice(FILLERS))
    weather, negated = weather_sentences(rng, label, test_only)
    if rng.random() < ADVICE_SHARE:
        after.insert(0, rng.choice(ADVICE[label, rng.random() < NEGATED_ADVICE_SHARE]))
    if not opening and rng.random() < SIGN_OFF_SHARE:
        after.append(rng.choice(SIGN_OFFS))
    parts = [render_template(part, slots, rng) for part in before] + weather
    parts += [render_template(part, slots, rng) for part in after]
    return Message(" ".join(parts), label, negated, test_only)


def generate_message(rng: random.Random, label: int, test_only: bool = False) -> Message:
    """One message of MIN_WORDS to MAX_WORDS words; a draft outside that range is written again."""
    while True:
        message = draft_message(rng, label, test_only)
        if MIN_WORDS <= len(story_words(message.text)) <= MAX_WORDS:
            return message


def message_rng(split: str, index: int) -> random.Random:
    """The random generator of one message: a str seed gives the same stream on every machine."""
    return random.Random(f"messages-{split}-{index}")


def generate_split(
    split: str, size: int, taken: set[str] | None = None, test_only_share: float = 0.0
) -> list[Message]:
    """Half fair, half storm, shuffled; a text already in taken (or in this split) is skipped.

    Message i of a split draws from message_rng(split, i); the texts it keeps are added to taken.
    """
    taken = set() if taken is None else taken
    messages: list[Message] = []
    counts = [0, 0]
    index = 0
    while len(messages) < size:
        label = index % 2 if counts[index % 2] < size // 2 else 1 - index % 2
        rng = message_rng(split, index)
        message = generate_message(rng, label, test_only=rng.random() < test_only_share)
        index += 1
        if message.text not in taken:
            taken.add(message.text)
            messages.append(message)
            counts[label] += 1
    random.Random(f"messages-{split}-order").shuffle(messages)
    return messages


def generate_splits() -> dict[str, list[Message]]:
    """All three splits, in order, so that no text occurs in two of them."""
    taken: set[str] = set()
    return {
        split: generate_split(split, size, taken, TEST_ONLY_SHARE if split == "test" else 0.0)
        for split, _, size in SPLITS
    }


# ---------------------------------------------------------------------------------------------
# Files: one message a line, "label<TAB>text", under a header line
# ---------------------------------------------------------------------------------------------


def format_messages(messages: list[Message]) -> str:
    """The text of a split's file: the header, then one 'label<TAB>text' line per message."""
    lines = [HEADER] + [f"{message.label}\t{message.text}" for message in messages]
    return "\n".join(lines) + "\n"


def write_messages(data_dir: Path = DATA_DIR) -> list[Path]:
    """Write the train, validation and test files; the same bytes on every run."""
    splits = generate_splits()
    paths = []
    for split, name, _ in SPLITS:
        path = Path(data_dir) / name
        path.write_text(format_messages(splits[split]), encoding="utf-8", newline="\n")
        paths.append(path)
    return paths


def parse_line(line: str, number: int, name: str) -> tuple[str, int]:
    """One 'label<TAB>text' line as (text, label); a malformed line raises ValueError."""
    fields = line.split("\t")
    if len(fields) != 2 or not fields[1]:
        raise ValueError(f"{name}, line {number}: expected 'label<TAB>text', got {line!r}")
    if fields[0] not in ("0", "1"):
        raise ValueError(f"{name}, line {number}: label must be 0 or 1, got {fields[0]!r}")
    return fields[1], int(fields[0])


def read_messages(name: str, data_dir: Path = DATA_DIR) -> list[tuple[str, int]]:
    """A stored split as (text, label) pairs, in file order."""
    path = Path(data_dir) / name
    if not path.is_file():
        raise FileNotFoundError(
            f"{path} not found: run python -m helpers.corpora.messages to write it"
        )
    lines = path.read_text(encoding="utf-8").splitlines()
    if not lines or lines[0] != HEADER:
        raise ValueError(f"{name}: the first line must be the header {HEADER!r}")
    return [parse_line(line, number, name) for number, line in enumerate(lines[1:], start=2)]


# ---------------------------------------------------------------------------------------------
# The keyword rule: the baseline a model has to beat
# ---------------------------------------------------------------------------------------------


def keyword_baseline(text: str) -> int:
    """1 if more storm words than fair words, 0 if fewer, TIE_LABEL if as many; no negation."""
    words = story_words(text)
    storm = sum(word in STORM_WORDS for word in words)
    fair = sum(word in FAIR_WORDS for word in words)
    if storm == fair:
        return TIE_LABEL
    return STORM if storm > fair else FAIR


def keyword_accuracy(pairs: list[tuple[str, int]]) -> float:
    """The share of (text, label) pairs that keyword_baseline gets right."""
    return sum(keyword_baseline(text) == label for text, label in pairs) / len(pairs)


if __name__ == "__main__":
    for written in write_messages():
        size = written.stat().st_size
        print(f"wrote {written} ({len(read_messages(written.name)):,} messages, {size:,} bytes)")
