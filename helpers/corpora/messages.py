"""Short weather messages from Saltmere, labelled fair weather or storm warning: Chapter 6's data.

Chapter 6 finetunes the course's small GPT to read a message and say which of two kinds it is:
0, "fair weather", or 1, "storm warning". The messages are what the people of Saltmere write to
each other: notes, questions and answers, scraps of talk, lists of chores, letters, notices and
children's notes ("Grandmother, gone swimming in the cove with Tess. From Omar.", "Jonah: Is the
ferry going today? Felix: Never. The sea won't stay calm for long."). The label is carried by
what the message says about the weather, the signs of it, or what people do and plan because of
it, so that counting weather words is not enough to tell the two apart.

How a message is made: pick its label; make it negated (about two in five) or plain; pick a
form, then fill the form with cues of that label, all plain or all negated:

- signs in nature and the village, on 15 topics for each label, plain or negated, used at most
  once each: the sky, the sea, the wind, the rain, the glass, the weather clock, birds, animals,
  the red flag, the lighthouse, smells, the harbour, old people's sayings and aches, and plain
  forecasts and words about the weather (negated: a fine or stormy spell that ended or missed
  us, and "now, but later" contrasts);
- deeds: what to do, or not to do ("Bring the boats in.", "Hang the washing out.");
- plans and what follows ("The ferry will sail at nine as usual.", "The village fair is called
  off.");
- short cries for fragments ("Red flag up!") and replies for dialogue ("Right, I will fetch the
  candles.").

The forms: a statement (one to three cues, sometimes an opening, neutral news or a sign-off);
a question and its answer (a question whose yes means one label, answered yes for a plain
message or no for a negated one, often with a reason); a dialogue of two or three lines between
two villagers ("Name: ... Name: ..."); a list of chores; a letter with a greeting and a
sign-off; a notice from the harbour office, the school or the inn; one or two short cries; a
child's note left at home. Many deeds, plans, list items and notes name no weather at all, so
only the action tells the label.

A plain cue points at its label in so many words. A negated cue names a sign, a deed or a plan
of the other label and turns it round: with not, no, never, nothing, nobody, hardly, don't,
won't, can't, "no sign of", a question that denies it ("Storm? What storm?", "Rain? Not a
drop."), a verb that ends or cancels it (blew over, passed, went round us, missed us, called
off, is over), or "but" before what is coming ("It is sunny now, but it will turn by
evening.": the label goes with what is coming). Such a message's label hinges on the negation.
Most cues come in mirrored pairs, the same frame under both labels ("The glass is falling
fast." / "The glass is climbing fast."); a few plain cues use negative words without turning
anything round ("Don't forget your sunhat."). Neutral news uses weather words in other senses
(Mr Gale the lighthouse keeper, the village fair, a picture of a storm at sea) under both
labels alike. A rule that counts storm words and fair words (``keyword_baseline``) is right on
about three messages in five.

A template is written as in ``helpers.corpora.stories``: ``[a|b]`` picks one choice and ``{slot}``
is a word chosen for the message. Every word of every template occurs in ``data/tales_val.txt``,
the text the course's base model is pretrained on. A draft of fewer than ``MIN_WORDS`` or more
than ``MAX_WORDS`` words, or longer than ``MAX_CHARS`` characters, is written again. Six words
occur only in the test split (``TEST_ONLY_WORDS``): in about a fifth of test messages, one sign
fills its slots ``{storm}``, ``{clear}``, ``{calm}``, ``{fine}`` and ``{quiet}`` with them
instead of the usual words ("A squall is coming in from the west by evening."), so a test can
ask whether a model reads the rest of the sentence or only knows the words it was trained on.

What it leaves out: spelling mistakes, slang and words outside the pretraining text (no
"shutters", "indoors", "none" or "died down"); jokes and sarcasm; weather that is neither fair
nor stormy (fog, snow, a grey day with no warning); messages that hedge or disagree with
themselves; messages longer than 24 words; and any label other than these two. Every template
was written for this course.

Run ``python -m helpers.corpora.messages`` to write ``data/messages_train.tsv``,
``data/messages_val.tsv`` and ``data/messages_test.tsv``; the same command always writes the
same bytes.
"""

import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from helpers.corpora.stories import (
    CHILDREN,
    DIRECTIONS,
    Slots,
    capitalise,
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
# Messages written by hand, for evaluation only: the first set guided this generator's second
# version (its errors showed what the templates lacked); the second was used for no choice at all.
HANDWRITTEN_DEV_FILE = "messages_handwritten_dev.tsv"
HANDWRITTEN_TEST_FILE = "messages_handwritten_test.tsv"
HANDWRITTEN_FILES = {"dev": HANDWRITTEN_DEV_FILE, "test": HANDWRITTEN_TEST_FILE}
HEADER = "label\ttext"
# (split, file, number of messages); half of each split has each label.
SPLITS = (("train", TRAIN_FILE, 1400), ("val", VAL_FILE, 200), ("test", TEST_FILE, 400))
MIN_WORDS, MAX_WORDS = 2, 24  # a draft outside this range is thrown away and written again
MAX_CHARS = 110  # so is a longer draft: a stand-in for the course model's 60-token limit

NEGATED_SHARE = 0.38  # of messages: then every cue that carries the label is negated
TEST_ONLY_SHARE = 0.2  # of test messages
WEATHER_SHARE = 0.4  # of plain signs: a plain word about the weather, not a sign of it

# ---------------------------------------------------------------------------------------------
# Words for the slots of a template
# ---------------------------------------------------------------------------------------------

# The slots that have test-only words: the words train and validation use, and those words.
COMMON_SLOTS = {
    "storm": ("storm", "gale"),
    "clear": ("clear", "clear", "blue", "bright"),  # a sky
    "calm": ("calm", "calm", "flat", "still", "glassy"),  # the sea
    "fine": ("fine", "fine", "sunny", "warm", "fair"),  # a day, the weather
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
TEST_ONLY_SLOT = re.compile(r"\{(?:" + "|".join(TEST_ONLY_SLOTS) + r")\}", re.IGNORECASE)

BY_WHEN = (
    *("by evening", "before dark", "by morning", "by supper", "by teatime", "before midnight"),
    *("by lunch", "this evening", "in the night", "this afternoon", "by noon", "by dusk"),
)
ALL_WHEN = (
    *("all day", "all afternoon", "until evening", "all week", "until Sunday", "today"),
    *("for the rest of the day", "tomorrow", "until Friday"),
)
SUN_WHEN = ("by morning", "by lunch", "this afternoon", "tomorrow morning", "by noon")
HOURS = ("lunch", "supper", "the afternoon", "this evening", "noon", "teatime")
DAY_PARTS = ("morning", "afternoon", "evening", "day", "week")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
QUILLS = ("Mara", "Tobin")  # the children who read the weather clock on Lantern Hill
HOME_CALLS = ("Mother", "Father", "Grandmother", "Uncle Fenwick")  # what the Quills call family
GROWN_UPS = (
    *("Grandmother Nell", "Ada", "Jonah", "Uncle Fenwick", "Captain Barnaby", "Widow Oakes"),
    *("Mrs Dunlin", "Mr Pike", "Mr Gale", "Doctor Bell", "Miss Hartley", "Mr Crane"),
    "Mrs Penrose",
)
CHILD_NAMES = tuple(child.name for child in CHILDREN)
# First words that keep their capital letter when a sentence follows "Yes," or a greeting.
PROPER_STARTS = frozenset(
    ("I", "Captain", "Mr", "Mrs", "Miss", "Doctor", "Grandmother", "Uncle", "Widow", "Jonah")
    + ("Ada", "Marigold", "Biscuit", "Saltmere", "Gull", "Lantern", "Heron", "Mother", "Father")
    + CHILD_NAMES
)

# The keyword rule's word lists: the weather words of the train templates, nothing else.
STORM_WORDS = frozenset(
    ("storm", "gale", "wind", "windy", "rain", "raining", "thunder", "lightning", "cloud")
    + ("clouds", "dark", "black", "grey", "heavy", "wild", "wet", "cold", "waves", "stormy")
    + ("downpour", "gusty", "rough")
)
FAIR_WORDS = frozenset(
    ("calm", "clear", "fair", "fine", "sunny", "sun", "bright", "blue", "quiet", "still")
    + ("flat", "glassy", "gentle", "light", "soft", "warm", "dry", "summer", "sunshine")
    + ("breeze", "hot")
)
TIE_LABEL = FAIR  # the keyword rule's answer when the two counts are equal

# ---------------------------------------------------------------------------------------------
# Cues: the sentences that carry the label, by (label, negated)
# ---------------------------------------------------------------------------------------------

# A plain cue points at its label in so many words ("The glass is falling fast."). A negated cue
# names a sign, a deed or a plan of the other label and turns it round: with not, no, never,
# nothing, nobody, hardly, n't, "no sign of", a question that denies ("Storm? What storm?"), a
# verb that ends or cancels it (blew over, passed, went round us, called off), or "but" before
# what is coming ("It is sunny now, but it will turn by evening."). Most cues come in mirrored
# pairs, the same frame under both labels, so that the small words do not give the label away.

Key = tuple[int, bool]  # (label, negated)
Topics = dict[str, tuple[str, ...]]  # a topic's templates: a message uses each topic once

# Signs in nature and in the village: what someone saw, heard, smelt or was told.
SIGNS: dict[Key, Topics] = {
    (STORM, False): {
        "weather": (
            "A {storm} is coming.",
            "Wild weather is on the way.",
            "It is going to be a stormy night.",
            "Wind and rain {by_when}.",
            "There is thunder about.",
            "Stormy weather {all_when}.",
            "It is blowing a {storm} out past Gull Point.",
            "Heavy rain and a strong wind {by_when}.",
            "Bad weather is coming, and it is coming fast.",
        ),
        "forecast": (
            "A {storm} is coming in from the {direction} {by_when}.",
            "There will be a {storm} over Saltmere {by_when}.",
            "A [big|bad|wild] {storm} will reach the harbour {by_when}.",
            "The {storm} will be here {by_when}, with wind and rain behind it.",
            "Mr Gale saw a {storm} out past the island, and it is coming this way.",
            "The coastguard said a {storm} will reach us {by_when}.",
            "Something bad is coming in from the sea {by_when}.",
        ),
        "sky": (
            "There are black clouds over Gull Point, and they are coming this way.",
            "The sky over the bay has turned a strange yellow.",
            "There was a red sky at dawn.",
            "The sky is grey from edge to edge.",
            "There was a ring round the moon last night.",
            "There was a mackerel sky at breakfast, and now the clouds are piling up.",
            "The sky to the {direction} is as black as a crow.",
            "The sun came up red and angry this morning.",
            "Did you see the sky over the island? It looks like a bad night.",
        ),
        "sea": (
            "The waves are coming over the old sea wall.",
            "There are white horses all across the bay, and spray is flying over the quay.",
            "The sea is wild and grey [out past Gull Point|outside the harbour].",
            "Long, slow waves are rolling in from the {direction}, and there is no wind yet.",
            "The water in the harbour is dark and rough.",
            "The tide came right up over the slipway this morning.",
            "There is foam all along the breakwater.",
            "The sea is throwing seaweed up on the quay.",
        ),
        "wind": (
            "The wind is growing strong and will blow hard from the {direction} all night.",
            "A wild wind is already howling round the chimneys on Lantern Hill.",
            "The wind has gone round to the {direction}, and it is gusty.",
            "The weathervane on the church is spinning like a top.",
            "The windmill sails are spinning far too fast.",
            "The wind on the quay is strong enough to blow a child over.",
        ),
        "rain": (
            "Rain will come down in sheets {by_when}.",
            "There will be heavy rain {by_when}, and the marsh will be under water.",
            "There will be a downpour {by_when}.",
            "It will stay wet and wild {all_when}.",
            "A cold, wet {day_part} is on its way.",
            "The rain will come down in buckets {by_when}.",
        ),
        "glass": (
            "The glass is falling fast.",
            "The glass in the harbour office has dropped [all morning|since breakfast].",
            "The needle on the barometer has gone right down.",
            "The glass in Captain Barnaby's window has gone down since breakfast.",
            "Jonah knocked on the barometer, and the needle dropped again.",
            "The glass is low and still falling.",
        ),
        "clock": (
            "The hand of the weather clock has moved to the black cloud with the lightning.",
            "The hand of the weather clock has gone right down to the storm sign.",
            "The little yellow bird on the weather clock gave a long, low whistle at breakfast.",
            "{quill} read the weather clock [this morning|at breakfast], and the hand pointed to "
            "wind.",
            "The weather clock has moved to wind and rain, and it is never wrong.",
            "The weather clock on Lantern Hill is warning of a {storm}.",
        ),
        "birds": (
            "The gulls have left the sea and are sitting in the meadow.",
            "Every gull in Saltmere has gone up to the top field on Fenwick's farm.",
            "The swallows are flying low over the meadow.",
            "The cormorants are all huddled on the rocks by the harbour.",
            "The geese flew over the marsh very low and very loud this morning.",
            "Did you see how low the swallows are flying?",
            "The gulls are crying and flying round and round the church.",
        ),
        "animals": (
            "Marigold the cow is lying down in her field.",
            "The cows are all lying down in the top field.",
            "The sheep are huddled together by the wall.",
            "Biscuit the dog is hiding under the table and will not come out.",
            "The hens went into the henhouse at noon.",
            "The cat has been washing behind its ears all morning.",
        ),
        "flag": (
            "The red flag is up on the harbour wall.",
            "Captain Barnaby has put the red flag up over the quay.",
            "The coastguard has put up a second red flag.",
            "The red flag went up at the harbour office at breakfast.",
        ),
        "lighthouse": (
            "Mr Gale has the big lamp shining at noon.",
            "The beacon on the headland is burning.",
            "The warning bell on the quay is clanging.",
            "Mr Gale is up in the lighthouse with the lamp going, and it is only lunch.",
        ),
        "smell": (
            "The air smells of rain.",
            "The air is heavy and sticky, and it smells of thunder.",
            "The air has gone thick and close, the way it does before thunder.",
            "You can smell the seaweed all the way up Lantern Hill, the way you do before a "
            "{storm}.",
        ),
        "harbour": (
            "The trawlers have all come back early.",
            "Every boat in the harbour is tied tightly and rocking hard.",
            "The fishermen are pulling the boats up the slipway.",
            "The harbour is full of boats that came in early.",
            "The ferryman has tied the ferry to the jetty with four ropes.",
        ),
        "saying": (
            "Red sky at morning, sailors take warning, Grandmother Nell said.",
            "Grandmother Nell said her knee has hurt since breakfast, and it is never wrong.",
            "Captain Barnaby said his old leg is sore, and that always means wind.",
            "Uncle Fenwick said cows lying down mean rain, and they are all lying down.",
            "Captain Barnaby said his knee told him a {storm} is coming.",
        ),
    },
    (FAIR, False): {
        "weather": (
            "It is a lovely sunny day.",
            "{Fine} weather {all_when}.",
            "Sunshine {all_when}.",
            "Warm and dry {all_when}.",
            "It is going to be a hot one.",
            "Blue sky and a light breeze {all_when}.",
            "The {fine} weather is here to stay.",
            "Good weather is coming, and it is here to stay.",
            "{Clear} sky, {calm} sea, {fine} weather.",
        ),
        "forecast": (
            "There will be sun over Saltmere {sun_when}.",
            "The sun will be on the harbour {sun_when}.",
            "{Fine} weather is on its way from the {direction}, with a soft wind behind it.",
            "It will be a {fine} {day_part} with a {clear} sky.",
            "Mr Gale saw the sun come up over the island, and it will shine all day.",
            "The coastguard said a long {fine} spell is on its way.",
            "Something lovely is coming in from the sea {sun_when}: sunshine.",
        ),
        "sky": (
            "There are only small white clouds over Gull Point, and they are going away.",
            "The sky out at sea is {clear}, and the sun is warm.",
            "The sky over the bay has turned blue and bright.",
            "There was a red sky last night.",
            "The sky is {clear} from edge to edge.",
            "The sun came up golden and gentle this morning.",
            "Nothing but blue sky over Gull Point.",
            "The sky to the {direction} is as {clear} as a bluebell.",
            "Did you see the sky over the island? It looks like a lovely day.",
        ),
        "sea": (
            "The sea is lying still at the foot of the old sea wall.",
            "The bay is {calm}, and the children are swimming off the quay.",
            "The sea is {calm} and blue [out past Gull Point|outside the harbour].",
            "The water in the harbour is like glass.",
            "The sea in the bay is as {calm} as a mill pond.",
            "The sea is as flat as a pancake.",
            "The tide is low, and the rock pools are warm.",
            "The sea is so {calm} you can see the crabs on the bottom.",
        ),
        "wind": (
            "The wind is dropping and will be gentle from the {direction} all day.",
            "A soft wind is blowing over Lantern Hill, just enough to turn the mill.",
            "There is only a light breeze from the {direction}.",
            "Just a gentle breeze, enough for the kites on the dunes.",
            "The windmill sails are going round slowly and lazily.",
            "The washing on the line is hanging straight down.",
        ),
        "rain": (
            "It will stay dry {all_when}, and the marsh will dry out.",
            "The puddles in the lane by the mill will be dry {by_when}.",
            "It will stay dry and {fine} {all_when}.",
            "A warm, dry {day_part} is on its way.",
            "The sun will shine on Saltmere {all_when}.",
            "It will be sunny over the marsh {all_when}.",
        ),
        "glass": (
            "The glass is climbing fast.",
            "The glass in the harbour office has climbed [all morning|since breakfast].",
            "The needle on the barometer has gone right up.",
            "The glass in Captain Barnaby's window has gone up since breakfast.",
            "Jonah knocked on the barometer, and the needle climbed again.",
            "The glass is high and steady.",
        ),
        "clock": (
            "The hand of the weather clock has moved to the sun.",
            "The hand of the weather clock has gone right up to the sun.",
            "The little yellow bird on the weather clock gave two quick whistles at breakfast.",
            "{quill} read the weather clock [this morning|at breakfast], and the hand pointed to "
            "the sun.",
            "The weather clock has moved to the sun, and it is never wrong.",
            "The weather clock on Lantern Hill is showing {fine} weather.",
        ),
        "birds": (
            "The gulls have left the meadow and are out over the sea.",
            "Every gull in Saltmere has gone out to sea to fish.",
            "The swallows are flying high over the meadow.",
            "The skylarks are singing high over the dunes.",
            "The cormorants are out on the rocks, drying in the sun.",
            "Did you see how high the swallows are flying?",
            "The gulls are out fishing past the breakwater.",
        ),
        "animals": (
            "Marigold the cow is out in the top field, eating grass.",
            "The sheep have wandered up to the top of Lantern Hill.",
            "Biscuit the dog is lying in the sun on the doorstep.",
            "The bees are busy in the lavender.",
            "The hens are out in the yard all day.",
            "The cat is asleep on the warm wall.",
        ),
        "flag": (
            "The red flag is down on the harbour wall.",
            "Captain Barnaby has taken the red flag down from the quay.",
            "The blue flag is up over the harbour office, so the swimming lesson is on.",
            "The red flag came down at the harbour office at breakfast.",
        ),
        "lighthouse": (
            "Mr Gale has gone fishing and left the big lamp until dusk.",
            "Mr Gale is out painting the lighthouse in the sun.",
            "You can see the lighthouse on the island as sharp as a pin.",
            "Mr Gale said he can see all the way to the island from the lighthouse.",
        ),
        "smell": (
            "The air smells of hay and honeysuckle.",
            "The air is fresh and sweet, and it smells of summer.",
            "The village smells of cut grass and warm bread.",
            "You can smell the lavender all the way up Lantern Hill.",
        ),
        "harbour": (
            "The trawlers are all out past the headland.",
            "Every boat has gone out, and the harbour is nearly empty.",
            "The fishermen are mending nets on the quay in the sun.",
            "The ferry came in right on time, with children on the deck.",
            "The harbour is full of little boats with their sails up.",
        ),
        "saying": (
            "Grandmother Nell said a red sky last night means a {fine} day for the hay.",
            "Uncle Fenwick said swallows flying high mean a dry week.",
            "Captain Barnaby said his old leg is as good as new, and that always means "
            "{fine} weather.",
            "Grandmother Nell said the spiders are out spinning, and that means a dry week.",
            "Captain Barnaby said his knee told him a {fine} week is coming.",
        ),
    },
    (STORM, True): {
        "spell": (
            "No {fine} weather is coming this week.",
            "The {fine} weather went away in the night.",
            "The {fine} spell is over.",
            "There will be no more {fine} days this week.",
            "The {fine} weather will not last the day.",
            "That is the end of the sunshine for a while.",
            "Nobody will see the sun {all_when}.",
            "There will not be a bit of sun {all_when}.",
        ),
        "contrast": (
            "The sun is out now, but it won't last past {hour}.",
            "It is {fine} now, but it will turn {by_when}.",
            "It looks lovely out, but don't trust it: it will turn {by_when}.",
            "The sea is {calm} this morning, but not for long.",
            "Never mind the {clear} sky: it will not last.",
            "Don't trust the sunshine; it won't last.",
            "It is hot and still now, but not for long.",
            "It is {fine} and {calm} now, but it won't be by {hour}.",
            "It was {fine} at breakfast, but not any more.",
            "The sky was {clear} at breakfast, but not any more.",
        ),
        "sky": (
            "The sky will not stay {clear} for long.",
            "A {clear} sky? Not for long.",
            "There is not a bit of blue sky over Lantern Hill.",
            "There is no blue left in the sky.",
            "Sunny? Not for long.",
            "{Fine} weather? Not today.",
            "The sun has gone, and it won't be back {all_when}.",
        ),
        "sea": (
            "The calm will not last past {hour}.",
            "The sea won't stay {calm} for long.",
            "It will not be a {quiet} night on the water.",
            "The sea is not {calm} at all today.",
            "Calm? Not with waves like that.",
            "The calm of this morning is over.",
            "There is nothing {calm} about the sea today.",
        ),
        "glass": (
            "The glass has stopped climbing.",
            "The glass is not steady any more.",
            "The needle on the barometer won't stay up.",
            "The glass is not climbing any more.",
            "The sun is out, but the glass is not steady any more.",
        ),
        "clock": (
            "The hand of the weather clock has moved away from the sun.",
            "The hand of the weather clock has left the sun behind.",
            "The bird on the weather clock has stopped singing for {fine} weather.",
            "The hand of the weather clock is not on the sun any more.",
        ),
        "birds": (
            "The gulls are not out fishing on the bay today.",
            "Not one gull is out over the sea.",
            "The swallows are not flying high today.",
            "There is not one gull on the water.",
            "No skylarks are singing over the dunes today.",
        ),
        "animals": (
            "Marigold the cow won't stand up.",
            "The hens won't come out of the henhouse.",
            "Biscuit the dog won't go out for his walk.",
            "The sheep won't go up to the top field.",
        ),
        "flag": (
            "Captain Barnaby will not take the red flag down today.",
            "The red flag is not coming down {all_when}.",
            "Nobody is taking the red flag down.",
        ),
        "lighthouse": (
            "Mr Gale will not turn the big lamp off {all_when}.",
            "Mr Gale won't leave the lighthouse {all_when}.",
            "Mr Gale can't see the island for the rain clouds.",
        ),
        "smell": (
            "The air does not smell of summer any more.",
            "There is no summer in the air today.",
        ),
        "harbour": (
            "Not one boat has gone out.",
            "Nobody has taken a boat out since breakfast.",
            "There are no boats out on the bay today.",
            "Not one trawler stayed out past noon.",
        ),
        "saying": (
            "Grandmother Nell said not to trust this sunshine.",
            "Captain Barnaby said this blue sky won't last, and he is never wrong.",
            "Uncle Fenwick said the hay will not stay dry.",
            "Grandmother Nell said this {fine} weather can't last.",
        ),
        "wind": (
            "The gentle wind of this morning will not last past {hour}.",
            "The soft breeze has gone, and the air has turned cold.",
            "The breeze is not gentle any more.",
            "There is nothing soft about this wind.",
        ),
        "rain": (
            "The dry weather is over.",
            "No one will stay dry {all_when}.",
            "There is no sign of the sun.",
            "The sun has gone and will not be back this week.",
            "The dry spell is over.",
        ),
    },
    (FAIR, True): {
        "spell": (
            "No {storm} is coming {by_when}.",
            "The {storm} has blown itself out.",
            "The {storm} went round Saltmere and out to sea.",
            "The {storm} blew over in the night.",
            "The {storm} missed us and went {direction}.",
            "The {storm} came to nothing.",
            "The {storm} warning is over.",
            "Nobody needs to worry about the {storm}: it has passed us by.",
            "The {storm} passed in the night.",
            "The {storm} Captain Barnaby warned us about never came.",
            "{Storm}? What {storm}?",
        ),
        "contrast": (
            "It is raining now, but it won't last past {hour}.",
            "The wind is wild this morning, but it will drop by noon.",
            "It looks grey now, but the sun will be out by lunch.",
            "The sky is dark now, but it will clear {by_when}.",
            "Never mind the grey sky: it will not last.",
            "Don't trust the dark clouds; they won't last.",
            "It is wet and cold now, but not for long.",
            "It is wild now, but it will be {calm} by {hour}.",
            "The rain is heavy now, but the sky will be {clear} by {hour}.",
        ),
        "sky": (
            "The sky will not stay grey for long.",
            "A grey sky? Not for long.",
            "There is not a cloud over Lantern Hill.",
            "The [dark|black|heavy] clouds have blown away over the hills.",
            "There is no thunder in the air today.",
            "Rain clouds? Not one.",
        ),
        "sea": (
            "The {storm} will not last past {hour}.",
            "The sea is not as wild as it looks.",
            "The sea won't stay wild for long.",
            "It will not be a wild night on the water.",
            "There are no white horses on the bay today.",
            "There is hardly a ripple on the bay.",
        ),
        "glass": (
            "The glass has stopped falling.",
            "The glass is not falling any more.",
            "The needle on the barometer has not dropped all week.",
            "It is raining, but the glass is not falling any more.",
        ),
        "clock": (
            "The hand of the weather clock has moved away from the storm sign.",
            "The hand of the weather clock has left the rain behind.",
            "The bird on the weather clock has stopped singing for wind.",
            "The hand of the weather clock is not on the rain any more.",
        ),
        "birds": (
            "The gulls are not hiding in the meadow today.",
            "The swallows are not flying low today.",
            "The gulls have not left the sea.",
            "Not one gull has come into the meadow.",
        ),
        "animals": (
            "Marigold the cow is not lying down today.",
            "Biscuit the dog is not hiding under the table any more.",
            "The sheep are not huddled by the wall today.",
            "The hens are not hiding in the henhouse today.",
        ),
        "flag": (
            "Captain Barnaby will not put the red flag up today.",
            "There is no red flag on the harbour wall today.",
            "Nobody put the red flag up today.",
        ),
        "lighthouse": (
            "Mr Gale won't need the big lamp until dusk.",
            "The beacon on the headland is not burning.",
            "Mr Gale has not needed the storm lamp on the quay.",
        ),
        "smell": (
            "There is no smell of rain in the air.",
            "The air does not smell of thunder any more.",
            "There is nothing heavy in the air today.",
        ),
        "harbour": (
            "Nobody has pulled their boat up the slipway.",
            "Not one trawler came back early.",
            "No boat is tied up in the harbour today.",
        ),
        "saying": (
            "Grandmother Nell said her knee has not hurt all week.",
            "Captain Barnaby said that wind is nothing to worry about.",
            "Uncle Fenwick said there will be no rain before the hay is in.",
            "Captain Barnaby said the {storm} won't come near us.",
        ),
        "wind": (
            "The wind has dropped away to nothing.",
            "There won't be any wind {all_when}.",
            "The strong wind will not last past {hour}.",
            "The weathervane on the church has hardly moved all day.",
            "Windy? Hardly.",
        ),
        "rain": (
            "There is no sign of rain.",
            "There will not be a drop of rain {all_when}.",
            "The rain has stopped and will not be back this week.",
            "No one will get wet {all_when}.",
            "Rain? Not a drop.",
            "The wet weather is over.",
        ),
    },
}

# Deeds: what to do, or not to do, because of the weather. Several name no weather at all.
DEEDS: dict[Key, tuple[str, ...]] = {
    (STORM, False): (
        "Bring the boats in.",
        "Pull the boats high up the slipway.",
        "Tie every boat twice.",
        "Bring the lobster pots in off the quay.",
        "Get the washing in before it is soaked.",
        "Take the washing off the line before it is blown away.",
        "Put the hens in the henhouse and tie it down.",
        "Bring the sheep down from the top field.",
        "Put the goats in the barn.",
        "Nail planks over the windows.",
        "Shut every window and bolt the doors.",
        "Fill the lamps with oil.",
        "Find the candles and put them by the door.",
        "Keep the children at home {all_when}.",
        "Stay inside {all_when}, and keep the doors shut.",
        "Put on your oilskins.",
        "Bring the flowerpots in off the wall.",
        "Take the deckchairs in before they are blown away.",
        "Tell the lifeboat crew to wait at the boathouse.",
        "Light the storm lamps early.",
        "Bring the nets in off the boats and tie them down.",
        "Bring the boats in before the {storm}.",
        "Get the washing in before the rain.",
        "Tie the boats twice; the wind will be wild {by_when}.",
        "Keep the children in out of the rain.",
        "Put on your oilskins; it will be raining hard {by_when}.",
        "Bring the sheep down before the {storm} comes.",
        "Take the washing off the line before the rain.",
        "Pull the boats up the slipway before the wind gets up.",
        "Fill the lamps; it will be a dark, wild night.",
        "Tie down the henhouse before the {storm}.",
        "Don't forget the candles.",
        "Don't forget your oilskins.",
        "There is no time to lose: bring the boats in.",
        "Clear the quay of nets and lobster pots.",
        "Clear the yard of buckets and brooms.",
        "Keep calm and bring the boats in.",
    ),
    (STORM, True): (
        "Don't hang the washing out.",
        "Don't take the dinghy out past the breakwater.",
        "No swimming off the quay {all_when}.",
        "Nobody is to take a boat out.",
        "Don't let the children go down to the rock pools.",
        "It is no day for a picnic.",
        "It is no day for painting the boats.",
        "Don't cut the hay {all_when}; it would only get soaked.",
        "Who would hang washing out in this?",
        "Don't leave buckets or brooms out in the yard.",
        "Never mind the kites; keep them in the shed.",
        "You won't get far without your oilskins.",
        "Don't go down to the beach.",
        "Don't trust the {clear} sky; keep the boats in.",
        "No swimming off the quay in this wind.",
        "Don't hang the washing out; it will rain {by_when}.",
        "Nobody is to take a boat out in this {storm}.",
        "No boats past Gull Point {all_when}.",
    ),
    (FAIR, False): (
        "Hang the washing out.",
        "Get the washing on the line early.",
        "Take the boats out.",
        "Take the children down to the beach.",
        "Cut the hay in the top field.",
        "Put the sheep up in the top field.",
        "Open every window.",
        "Paint the boats.",
        "Take a picnic up Lantern Hill.",
        "Bring your sunhat.",
        "Go and fly a kite on the dunes.",
        "Take the deckchairs out.",
        "Go swimming in the cove.",
        "Take the rowboat out to the island.",
        "Let the goats out into the field.",
        "Put the flowerpots out on the wall.",
        "Take the nets out past the breakwater.",
        "Make some lemonade for the beach.",
        "Hang the washing out; it will be dry in this sun.",
        "Take the boats out while the sea is {calm}.",
        "Bring your sunhat; it will be hot {all_when}.",
        "Let the children run about in the sunshine.",
        "Take the children to the beach while the sun is out.",
        "Cut the hay while the weather is {fine}.",
        "Don't forget your sunhat.",
        "Don't miss the boat race.",
        "Never mind the chores; go down to the beach.",
    ),
    (FAIR, True): (
        "No need to bring the boats in.",
        "You won't need the candles.",
        "Don't bring the washing in.",
        "Nobody needs oilskins {all_when}.",
        "You won't need your umbrella.",
        "The boats don't need tying twice.",
        "No need to nail planks over the windows.",
        "Don't keep the children in.",
        "There is no need to fill the lamps.",
        "Don't put the hens away early.",
        "Who needs oilskins on a day like this?",
        "Nobody needs to stay home.",
        "No need to pull the boats up the slipway.",
        "Don't bring the sheep down from the top field.",
        "No need to bring the boats in; the sea is {calm}.",
        "Don't bring the washing in; it will be dry in this sun.",
        "Nobody needs oilskins in this sunshine.",
    ),
}

# Plans and what follows: the ferry, the market, the school picnic, the village fair.
PLANS: dict[Key, tuple[str, ...]] = {
    (STORM, False): (
        "The lifeboat crew are waiting at the boathouse.",
        "Mr Gale will keep the big lamp going {all_when}.",
        "School will close at noon so the children can get home early.",
        "The fishing boats will stay in harbour {all_when}.",
        "The coastguard is out on the headland watching the sea.",
        "Everyone in the cottages by the dunes will stay at the inn {all_when}.",
        "The ferry is staying in harbour until the wind has dropped.",
        "Mrs Penrose will keep the inn open all night for everyone by the dunes.",
        "The trawlers are coming back early.",
        "The lifeboat crew are waiting at the boathouse for the {storm}.",
        "School will close early because of the {storm}.",
        "The fishing boats will stay in until the rain has gone.",
    ),
    (STORM, True): (
        "The ferry will not sail {all_when}.",
        "The boat race is called off.",
        "There will be no market on the quay {all_when}.",
        "The school picnic is called off.",
        "The village fair is called off.",
        "Nobody is going out fishing {all_when}.",
        "The steamer won't come in {all_when}.",
        "The dance on the green is off.",
        "There will be no swimming lesson in the cove.",
        "The post boat can't get across {all_when}.",
        "Mrs Dunlin has called off the walk to the rock pools.",
        "Uncle Fenwick won't cut the hay {all_when}.",
        "The ferry will not sail in this wind.",
        "The boat race is called off because of the {storm}.",
        "There will be no market on the quay in this rain.",
    ),
    (FAIR, False): (
        "The ferry will sail at nine as usual.",
        "The boat race is on for {day}.",
        "The market will be out on the quay.",
        "Mrs Dunlin is taking the class to the rock pools.",
        "The village fair is on, out on the green.",
        "Everyone is going out fishing {all_when}.",
        "The school picnic on the dunes is on for {day}.",
        "Uncle Fenwick will cut the hay {all_when}.",
        "The swimming lesson in the cove is on.",
        "The dance will be out on the green.",
        "The steamer will come in at noon, right on time.",
        "The school picnic will be out on the dunes in the sunshine.",
        "The boat race is on, with a soft breeze for the sails.",
    ),
    (FAIR, True): (
        "The ferry won't stay in harbour after all.",
        "The boat race won't be called off.",
        "Nobody is calling off the fair.",
        "The lifeboat crew won't be needed {all_when}.",
        "School will not close early after all.",
        "The fishing boats won't stay in harbour {all_when}.",
        "Nothing is called off.",
        "Nobody by the dunes will need to stay at the inn.",
        "Mrs Dunlin is not calling off the walk to the rock pools.",
        "The market won't move inside after all.",
        "The ferry won't stay in harbour: the sea is {calm} again.",
        "Nobody is calling off the fair in this lovely sunshine.",
    ),
}

# Short cries and scraps of two to six words.
FRAGMENTS: dict[Key, tuple[str, ...]] = {
    (STORM, False): (
        "Red flag up!",
        "Boats in, quick!",
        "Glass falling fast!",
        "Washing in, now!",
        "Gulls in the meadow!",
        "Lifeboat crew to the boathouse!",
        "Big {storm} coming!",
        "Oilskins on!",
        "Get the hens in!",
        "Black sky over Gull Point!",
        "Thunder out at sea!",
        "Look at the waves!",
        "Fill the lamps!",
        "Everyone off the beach!",
        "Candles on the table, please.",
        "Boats in, no time to lose!",
    ),
    (STORM, True): (
        "No ferry today.",
        "No swimming today!",
        "Picnic called off.",
        "Not a day for the beach.",
        "No washing out today!",
        "Sunny? Not for long.",
        "The fair is off.",
        "No boats out today.",
        "No hay today.",
        "Not a bit of blue left.",
        "Calm? Not for long.",
        "The sunshine is over.",
        "No market today.",
    ),
    (FAIR, False): (
        "Sea like glass!",
        "Washing out!",
        "What a day for the hay!",
        "Sunhats on!",
        "Picnic on the dunes!",
        "Boats out, all of them!",
        "Swimming in the cove!",
        "Kites on the dunes!",
        "Blue sky over Gull Point!",
        "Glass climbing!",
        "Ferry at nine as usual.",
        "Lovely day for the beach!",
        "Lemonade on the quay!",
        "Can't wait for the picnic!",
    ),
    (FAIR, True): (
        "{Storm}? What {storm}?",
        "Not a cloud!",
        "No rain today!",
        "The {storm} blew over.",
        "No need for oilskins!",
        "Rain? Not a drop.",
        "No wind at all!",
        "The {storm} missed us!",
        "Nothing called off!",
        "No red flag today.",
        "No candles needed.",
        "The {storm} went round us!",
    ),
}

# Answers to a question or a remark, in dialogue.
REPLIES: dict[Key, tuple[str, ...]] = {
    (STORM, False): (
        "Right, I will fetch the candles.",
        "Fine, I will bring the hens in.",
        "Then I had better bring the hens in.",
        "I will tell the lifeboat crew.",
        "Then let's get the boats up the slipway.",
        "I will get the washing in.",
        "Then I will nail planks over the windows.",
        "I will get the goats in before the rain.",
        "Then I had better tie the boats before the wind gets up.",
    ),
    (STORM, True): (
        "Then no picnic for us.",
        "So no swimming today.",
        "Then I won't hang the washing out.",
        "Then the boats are not going anywhere.",
        "So nobody is going out fishing.",
    ),
    (FAIR, False): (
        "Then I will hang the washing out.",
        "Fine, I will take the boats out.",
        "Lovely, let's have a picnic.",
        "Good, I will take the children to the beach.",
        "Then the boats can go out.",
        "I will cut the hay after lunch.",
        "Then I will take the children out in the sunshine.",
        "Good, a dry day for the washing.",
    ),
    (FAIR, True): (
        "Good, I won't need my oilskins.",
        "Then nobody needs to stay home.",
        "So no need to bring the boats in.",
        "Then I won't fetch the candles.",
        "So the fair is not called off.",
    ),
}

# ---------------------------------------------------------------------------------------------
# The forms of a message: questions, dialogue, lists, letters, notices, notes
# ---------------------------------------------------------------------------------------------

# A question whose yes means its label: "Is the ferry going?" (yes: fair; no: storm).
QUESTIONS: dict[int, tuple[str, ...]] = {
    FAIR: (
        "Can we take the boat out to Gull Point?",
        "Is the ferry going today?",
        "Can the children go swimming in the cove?",
        "Is the picnic on?",
        "Will the washing dry on the line?",
        "Is it a good day for the hay?",
        "Is the fair still on?",
        "Will the fishing boats go out today?",
        "Will the {fine} weather last?",
        "Is the boat race on?",
        "Can I paint the dinghy today?",
        "Is the sea {calm} enough for a swim?",
        "Will the sun be out for the school picnic?",
        "Is it going to stay dry?",
        "Will it be sunny for the fair?",
        "Will the sea be {calm} for the boat race?",
        "Will the sky be {clear} for the fair?",
    ),
    STORM: (
        "Must we bring the boats in?",
        "Is a {storm} coming?",
        "Is it going to blow today?",
        "Do we need the candles?",
        "Is the red flag up?",
        "Is school closing early?",
        "Do I need my oilskins?",
        "Will there be rain before the hay is in?",
        "Is the glass falling?",
        "Are you bringing the nets in?",
        "Is the ferry staying in harbour?",
        "Must the goats go in the barn?",
        "Is it a day for oilskins?",
        "Is it going to rain?",
        "Will the wind get up today?",
        "Is there thunder about?",
        "Will it be a wild night?",
    ),
}
# Questions that a bare yes or no leaves open (the picnic may be off for another reason): their
# answer always says why.
WEAK_QUESTIONS = frozenset(
    (
        "Is the picnic on?",
        "Is the fair still on?",
        "Is the boat race on?",
        "Is the ferry going today?",
    )
    + ("Can I paint the dinghy today?", "Will the fishing boats go out today?")
    + ("Can we take the boat out to Gull Point?", "Is school closing early?")
    + ("Are you bringing the nets in?", "Is the ferry staying in harbour?")
    + ("Must the goats go in the barn?", "Can the children go swimming in the cove?")
)
YES_HEADS = ("Yes.", "Oh yes.", "Yes!", "I think so.", "Yes,")
NO_HEADS = ("No.", "Not today.", "No, not today.", "I don't think so.", "Hardly.", "Never.", "No,")

# Lists of chores: a heading, often the same under both labels, and items that carry the label.
LIST_HEADINGS = (
    "Jobs for today:",
    "Jobs for this afternoon:",
    "To do before supper:",
    "{child}, before lunch, please:",
    "Jobs for this morning:",
    "For Jonah:",
    "Jobs on the farm today:",
)
# Headings that name the weather, for a plain list.
WEATHER_LIST_HEADINGS: dict[int, tuple[str, ...]] = {
    STORM: ("Before the {storm}:", "Jobs before the rain comes:", "Before the wind gets up:"),
    FAIR: ("While the sun is out:", "Jobs for a {fine} day:", "In this lovely weather:"),
}
LIST_ITEMS: dict[int, tuple[str, ...]] = {
    STORM: (
        "bring in the nets",
        "fill the lamps",
        "tie down the henhouse",
        "boats up the slipway",
        "washing off the line",
        "candles on the table",
        "nail planks over the windows",
        "goats in the barn",
        "sheep down from the top field",
        "oilskins by the door",
        "flowerpots in off the wall",
        "tie the boats twice",
    ),
    FAIR: (
        "hang the washing out",
        "cut the hay",
        "paint the dinghy",
        "picnic on the dunes",
        "take the boats out",
        "kites for the children",
        "sheep up to the top field",
        "deckchairs out on the lawn",
        "lemonade for the beach",
        "sunhats for the children",
        "let the goats out",
        "nets out past the breakwater",
    ),
}
# A negated list, by its label: a heading that denies the other label's things ("We won't need
# any of this today: oilskins, candles ..." is fair weather).
NEGATED_LIST_HEADINGS: dict[int, tuple[str, ...]] = {
    STORM: ("We can't do any of this today:", "No time today for:", "Not today, children:"),
    FAIR: ("We won't need any of this today:", "No need for any of this today:", "Nobody needs:"),
}
NEGATED_LIST_ITEMS: dict[int, tuple[str, ...]] = {
    STORM: (  # what a storm stops
        "swimming in the cove",
        "the picnic",
        "washing on the line",
        "kites on the dunes",
        "the boat race",
        "painting the boats",
        "the hay",
        "the walk to the rock pools",
    ),
    FAIR: (  # what fair weather makes needless
        "oilskins",
        "candles",
        "planks on the windows",
        "the lifeboat crew",
        "the storm lamps",
        "umbrellas",
        "more ropes on the boats",
        "the red flag",
    ),
}

# Letters: a greeting, the news, a sign-off.
GREETINGS = ("{to},", "To {to}.", "Good morning, {to}.", "{to}, a quick word.", "For {to}.")
SIGN_OFFS = ("Love, {sender}.", "With love from {sender}.", "Your friend, {sender}.")
SIGN_OFFS += ("From {sender}.", "Thank you, {sender}.")

# Notices: who puts them up.
NOTICE_HEADINGS = (
    "From the harbour office:",
    "Harbour office, {day}.",
    "From Mrs Dunlin at the school:",
    "The inn, {day}:",
    "To all fishermen:",
    "From the lifeboat crew:",
    "From the post office:",
    "Market day:",
    "A word from the coastguard:",
    "To everyone in Saltmere:",
)

# Notes that children leave at home.
NOTE_OPENINGS = ("{home},", "{home}, it is me, {child}.", "For {home}.")
NOTE_NEWS: dict[Key, tuple[str, ...]] = {
    (STORM, False): (
        "Gone to help pull the boats up the slipway.",
        "Mrs Dunlin sent us home early because of the wind.",
        "Biscuit is hiding under my bed again, so something bad is coming.",
        "I put the hens in and tied the henhouse door.",
        "I brought the washing in because of the rain.",
    ),
    (STORM, True): (
        "Mrs Dunlin said no swimming today.",
        "We can't go to the rock pools because of the wind.",
        "The picnic is called off. So sad.",
        "It is no day for the washing, so I left it in the basket.",
        "No beach today, Father said.",
    ),
    (FAIR, False): (
        "Gone to the beach with {friend}.",
        "Gone swimming in the cove with {friend}.",
        "I hung the washing out, it will be dry by lunch.",
        "Gone to fly kites on the dunes with {friend}.",
        "Mrs Dunlin is taking us to the rock pools!",
    ),
    (FAIR, True): (
        "I did not take my oilskins, there is not a cloud.",
        "The storm went round us, so we are off to the beach.",
        "No red flag today, so I'm at the beach with {friend}.",
        "Nobody needs me to help with the boats, so I'm at the beach.",
        "The rain has stopped, so I'm out with {friend}.",
    ),
}
NOTE_ENDS = ("Back for tea.", "Back by supper.", "Love, {child}.", "From {child}.", "{child}.")

# Openings and sign-offs of a plain statement.
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
    "Miss Hartley at the post office asked me to tell you this.",
    "{child}, listen.",
    "Quick, everyone.",
    "Listen, all of you.",
)
STATEMENT_ENDS = ("From Uncle Fenwick.", "From Captain Barnaby.", "Your friend, Mr Gale.")
STATEMENT_ENDS += ("Pass it on.", "Tell everyone.", "From Grandmother Nell, with love.")

# Neutral news: the same in both labels; several use weather words in another sense.
FILLERS = (
    "The post boat leaves at twelve.",
    "Supper is at six.",
    "Mr Pike has fresh bread today.",
    "The school bell will ring at nine as usual.",
    "Mr Gale has mended the big lamp at last.",
    "Miss Hartley has a letter for the Quills.",
    "{child} has lost {child.his} red scarf again.",
    "Ada has made a plum cake for Sunday.",
    "The lifeboat crew will have supper at the inn on Friday.",
    "Widow Oakes has honey at the market.",
    "{child} found a blue shell on the beach.",
    "Biscuit the dog is asleep by the fire.",
    "Doctor Bell is away until Thursday.",
    "Biscuit the dog is afraid of thunder.",
    "{child} is painting a picture of a storm at sea.",
    "Mrs Penrose has fish pie at the inn this evening.",
    "Mind the wet paint on the post office door.",
    "Mr Gale has lost his glasses again.",
    "The new kitten at the inn is called Sunny.",
    "Mrs Dunlin read the class a story about a gale.",
    "The cold tea in the jug is for Jonah.",
    "The blue boat by the quay needs a new sail.",
    "{child} has a cold and is in bed.",
    "The prize at the village fair will be a pie.",
    "Mr Crane has mended the gate.",
    "The warm scarf you knitted is lovely.",
    "Please clear the table after supper.",
    "Ada has a fine new hat for the fair.",
    "Doctor Bell said {child} is fine now.",
    "Grandmother Nell said to keep calm about the broken jug.",
    "Mr Gale has a fine new telescope.",
)

# ---------------------------------------------------------------------------------------------
# Writing one message
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Message:
    """One message: its text, its label, and how it was made."""

    text: str
    label: int
    negated: bool  # every cue that carries the label is negated: the label hinges on it
    test_only: bool  # one sign uses TEST_ONLY_WORDS
    form: str = "statement"  # one of FORMS


def pick_slots(rng: random.Random) -> Slots:
    """The words a template may ask for: weather words, times, a direction, people."""
    slots: Slots = {name: rng.choice(words) for name, words in COMMON_SLOTS.items()}
    child, friend = rng.sample(CHILDREN, 2)
    sender, to = rng.sample(GROWN_UPS, 2)
    slots.update(
        direction=rng.choice(DIRECTIONS),
        by_when=rng.choice(BY_WHEN),
        all_when=rng.choice(ALL_WHEN),
        sun_when=rng.choice(SUN_WHEN),
        hour=rng.choice(HOURS),
        day_part=rng.choice(DAY_PARTS),
        day=rng.choice(DAYS),
        quill=rng.choice(QUILLS),
        child=person_words(child),
        friend=person_words(friend),
        sender=sender,
        to=to,
        home=rng.choice(HOME_CALLS),
    )
    return slots


def pick_test_only_words(rng: random.Random) -> Slots:
    """Test-only words for the slots that have them."""
    return {name: rng.choice(words) for name, words in TEST_ONLY_SLOTS.items()}


def lower_first(sentence: str) -> str:
    """Lower-case a sentence's first letter unless its first word is a name: after 'Yes,'."""
    first = sentence.split(" ", 1)[0].rstrip(",.:?!")
    return sentence if first in PROPER_STARTS else sentence[:1].lower() + sentence[1:]


def join_head(head: str, sentence: str) -> str:
    """'Yes,' + 'The glass ...' -> 'Yes, the glass ...'; before a question, 'Yes. Did ...?'."""
    if "?" in sentence:
        return f"{head[:-1]}. {sentence}"
    return f"{head} {lower_first(sentence)}"


def list_phrase(items: list[str]) -> str:
    """'a, b and c'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


class Writer:
    """Draws the parts of one message; each sign topic and template is used at most once."""

    def __init__(self, rng: random.Random, label: int, negated: bool, test_only: bool) -> None:
        """A writer for one message of this label, negated or plain, owing test-only words."""
        self.rng, self.label, self.negated = rng, label, negated
        self.key: Key = (label, negated)
        self.owed = test_only  # the next sign must use test-only words
        self.slots = pick_slots(rng)
        self.used: set[str] = set()

    def render(self, template: str) -> str:
        """Fill a template with this message's slots."""
        return capitalise(render_template(template, self.slots, self.rng))

    def pick(self, templates: tuple[str, ...] | list[str]) -> str:
        """A template not used yet in this message, rendered."""
        fresh = [template for template in templates if template not in self.used]
        template = self.rng.choice(fresh or list(templates))
        self.used.add(template)
        return self.render(template)

    def sign(self) -> str:
        """A sign in nature or the village, on a topic this message has not used yet."""
        topics = SIGNS[self.key]
        if "weather" in topics and "weather" not in self.used and self.chance(WEATHER_SHARE):
            topics = {"weather": topics["weather"]}
        choices = [
            (topic, template)
            for topic, templates in topics.items()
            if topic not in self.used
            for template in templates
            if not self.owed or TEST_ONLY_SLOT.search(template)
        ]
        topic, template = self.rng.choice(choices)
        self.used.update((topic, template))
        if not self.owed:
            return self.render(template)
        self.owed = False
        slots = {**self.slots, **pick_test_only_words(self.rng)}
        return capitalise(render_template(template, slots, self.rng))

    def deed(self) -> str:
        """Something to do, or not to do, because of the weather."""
        return self.pick(DEEDS[self.key])

    def plan(self) -> str:
        """A plan that goes ahead or is called off."""
        return self.pick(PLANS[self.key])

    def cue(self, sign_weight: float = 0.5) -> str:
        """A sign, deed or plan: a sign when test-only words are owed."""
        if self.owed or self.rng.random() < sign_weight:
            return self.sign()
        return self.deed() if self.rng.random() < 0.6 else self.plan()

    def fragment(self) -> str:
        """A short cry of two to six words."""
        return self.pick(FRAGMENTS[self.key])

    def reply(self) -> str:
        """What someone answers in a dialogue."""
        return self.pick(REPLIES[self.key])

    def filler(self) -> str:
        """Neutral news, the same under both labels."""
        return self.pick(FILLERS)

    def chance(self, share: float) -> bool:
        """True with probability share."""
        return self.rng.random() < share


def write_statement(w: Writer) -> str:
    """Opening or not, one to three cues in any order, neutral news, a sign-off or not."""
    parts = [w.cue(0.7) for _ in range(w.rng.choice((1, 1, 2, 2, 2, 3)))]
    if w.chance(0.3):
        parts.insert(w.rng.randrange(len(parts) + 1), w.filler())
    if w.chance(0.3):
        parts.insert(0, w.pick(OPENINGS))
    elif w.chance(0.15):
        parts.append(w.pick(STATEMENT_ENDS))
    return " ".join(parts)


def answer(w: Writer, asked: str) -> str:
    """Yes or no, and often why: yes for a plain message, no for a negated one."""
    head = w.rng.choice(NO_HEADS if w.negated else YES_HEADS)
    if head.endswith(","):
        return join_head(head, w.sign())
    return f"{head} {w.cue(0.6)}" if asked in WEAK_QUESTIONS or w.chance(0.7) else head


def question(w: Writer) -> tuple[str, str]:
    """A question whose yes means this message's label if plain, the other label if negated.

    Returns the template and the question it renders to.
    """
    polarity = 1 - w.label if w.negated else w.label
    template = w.rng.choice(QUESTIONS[polarity])
    return template, w.render(template)


def write_question(w: Writer) -> str:
    """A question and its answer, sometimes with a deed after."""
    template, asked = question(w)
    text = f"{asked} {answer(w, template)}"
    if w.chance(0.25):
        text += " " + w.deed()
    return text


def speakers(w: Writer) -> tuple[str, str]:
    """Two different people of Saltmere, grown-ups or children."""
    return tuple(w.rng.sample(GROWN_UPS + CHILD_NAMES, 2))


def write_dialogue(w: Writer) -> str:
    """Two or three lines between two villagers: 'Name: ... Name: ...'."""
    first, second = speakers(w)
    shape = w.rng.randrange(4)
    if shape in (0, 3):  # a question and its answer, and sometimes what that means
        template, asked = question(w)
        lines = [(first, asked), (second, answer(w, template))]
    elif shape == 1:  # a sign, and what to do about it
        lines = [(first, w.sign()), (second, w.reply())]
    else:  # a deed, why?, a reason
        lines = [(first, w.deed()), (second, w.rng.choice(("Why?", "Why is that?", "How so?")))]
        lines.append((first, w.sign()))
    if shape == 3:
        lines.append((first, w.reply()))
    return " ".join(f"{name}: {line}" for name, line in lines)


def write_list(w: Writer) -> str:
    """A list of chores; a negated list denies the other label's items."""
    if w.negated:
        heading = w.rng.choice(NEGATED_LIST_HEADINGS[w.label])
        items = w.rng.sample(NEGATED_LIST_ITEMS[w.label], w.rng.choice((2, 3, 3, 4)))
    else:
        headings = WEATHER_LIST_HEADINGS[w.label] if w.chance(WEATHER_SHARE) else LIST_HEADINGS
        heading = w.rng.choice(headings)
        items = w.rng.sample(LIST_ITEMS[w.label], w.rng.choice((2, 3, 3, 4)))
    text = f"{w.render(heading)} {list_phrase(items)}."
    if w.owed or w.chance(0.3):
        text += " " + w.sign()
    return text


def write_letter(w: Writer) -> str:
    """A greeting, one or two cues, maybe neutral news, and a sign-off."""
    greeting = w.render(w.rng.choice(GREETINGS))
    body = [w.cue(0.6) for _ in range(w.rng.choice((1, 2, 2)))]
    if w.chance(0.35):
        body.insert(w.rng.randrange(len(body) + 1), w.filler())
    if greeting.endswith(","):
        body[0] = lower_first(body[0])
    return " ".join([greeting, *body, w.render(w.rng.choice(SIGN_OFFS))])


def write_notice(w: Writer) -> str:
    """A notice: who from, a plan, and sometimes why or what to do."""
    parts = [w.render(w.rng.choice(NOTICE_HEADINGS)), w.plan()]
    if w.owed or w.chance(0.5):
        parts.append(w.sign())
    if w.chance(0.3):
        parts.append(w.deed())
    return " ".join(parts)


def write_fragment(w: Writer) -> str:
    """One or two short cries, or a cry and a sign."""
    parts = [w.fragment()]
    if w.owed:
        parts.append(w.sign())
    elif w.chance(0.35):
        parts.append(w.fragment())
    return " ".join(parts)


def write_note(w: Writer) -> str:
    """A child's note left at home: who for, the news, maybe a sign, who from."""
    opening = w.render(w.rng.choice(NOTE_OPENINGS))
    news = w.pick(NOTE_NEWS[w.key])
    parts = [opening, lower_first(news) if opening.endswith(",") else news]
    if w.owed or w.chance(0.3):
        parts.append(w.sign())
    parts.append(w.render(w.rng.choice(NOTE_ENDS)))
    return " ".join(parts)


# How each form is written, and how often it is chosen.
FORMS: dict[str, tuple[Callable[[Writer], str], int]] = {
    "statement": (write_statement, 26),
    "question": (write_question, 12),
    "dialogue": (write_dialogue, 14),
    "list": (write_list, 10),
    "letter": (write_letter, 14),
    "notice": (write_notice, 10),
    "fragment": (write_fragment, 8),
    "note": (write_note, 6),
}


def draft_message(rng: random.Random, label: int, test_only: bool = False) -> Message:
    """Choose negated or plain and a form, then write the message in that form."""
    negated = rng.random() < NEGATED_SHARE
    names = list(FORMS)
    form = rng.choices(names, weights=[FORMS[name][1] for name in names])[0]
    writer = Writer(rng, label, negated, test_only)
    text = FORMS[form][0](writer)
    return Message(text, label, negated, test_only, form)


def has_test_only_word(text: str) -> bool:
    """Whether a text uses one of TEST_ONLY_WORDS."""
    return bool(set(story_words(text)) & set(TEST_ONLY_WORDS))


def generate_message(rng: random.Random, label: int, test_only: bool = False) -> Message:
    """One message of MIN_WORDS to MAX_WORDS words and at most MAX_CHARS characters.

    A draft outside those limits, or without test-only words when it needs them, is written again.
    """
    while True:
        message = draft_message(rng, label, test_only)
        words = len(story_words(message.text))
        if not MIN_WORDS <= words <= MAX_WORDS or len(message.text) > MAX_CHARS:
            continue
        if has_test_only_word(message.text) == test_only:
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


def template_count() -> int:
    """How many templates the generator writes from: cues, forms, openings and news."""
    pools = [t for topics in SIGNS.values() for t in topics.values()]
    pools += [*DEEDS.values(), *PLANS.values(), *FRAGMENTS.values(), *REPLIES.values()]
    pools += [*QUESTIONS.values(), *LIST_ITEMS.values(), *NEGATED_LIST_HEADINGS.values()]
    pools += [*NEGATED_LIST_ITEMS.values(), *NOTE_NEWS.values(), *WEATHER_LIST_HEADINGS.values()]
    pools += [YES_HEADS, NO_HEADS, LIST_HEADINGS, GREETINGS, SIGN_OFFS, NOTICE_HEADINGS]
    pools += [NOTE_OPENINGS, NOTE_ENDS, OPENINGS, STATEMENT_ENDS, FILLERS]
    return sum(len(pool) for pool in pools)


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
