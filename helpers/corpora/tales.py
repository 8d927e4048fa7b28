"""Varied stories set in Saltmere, made by a small grammar: a large, seeded corpus to pretrain on.

``helpers.corpora.stories`` writes stories from fixed sentence templates, and a model trained on
them learns the templates rather than the language. This module writes stories in the same world
(the same children, grown-ups, places, seasons and the a/an and pronoun rules of
``helpers.corpora.stories``) from a grammar instead: a sentence is composed from a subject (a name,
a pronoun, or a noun phrase with adjectives or a possessive), a verb in the past tense with an
object that suits it, and optional adverbs and phrases of place and time; clauses are joined by
because, when, while, although, after, before, until, so, but and and. There are questions,
negations ("did not", "never", "no one"), dialogue with many verbs of saying and the speaker
tag in several places, lists written one item to a line, and school lessons about words.

A story is a sequence of events that combine freely: an opening (who, when, where, the
weather), a goal, one or more troubles, help or an idea, an outcome that goes well or badly,
and a closing. Story ``n`` of a split depends only on ``(seed, n)``, so any prefix of the corpus
can be regenerated and checked on its own.

What it leaves out: meaning beyond agreement (a sentence can be odd: grammatical but unlikely),
memory across stories, tenses other than the simple past in narration, and the variety of real
authors. The vocabulary is open but still hand-made: about four thousand words. Every word
list and rule was written for this course.

Run ``python -m helpers.corpora.tales`` to write ``data/tales_train.txt`` (about 34 MB, not
committed) and ``data/tales_val.txt``; ``build_corpus()`` writes the training file on first use.
"""

import hashlib
import random
from collections.abc import Callable
from pathlib import Path

from helpers.corpora import stories
from helpers.corpora.stories import STORY_SEPARATOR, capitalise, with_article
from helpers.paths import DATA_DIR

TRAIN_FILE = "tales_train.txt"
VAL_FILE = "tales_val.txt"
TRAIN_SEED = 11  # different seeds, so the splits share no random stream
VAL_SEED = 12
TRAIN_STORIES = 26_000
VAL_STORIES = 1_000
MIN_WORDS, MAX_WORDS = 120, 350
TRAIN_SHA256 = "fa6ae2531e73b30cb65e68b5a2b00b73ecd4ee5cede0e6515376a87aeb70bce1"
VAL_SHA256 = "5bf8e79a917d238bca58b28b3c0e6b3504ea91ae955990d6cd36217a135dbd9e"
# the first 100 stories of the validation split, joined, for a quick test
PREFIX_SHA256 = "43a54ba8eb561d60fa583531e3ad8460c5d6431bd2d2690d5f559234d1991e94"

# ---------------------------------------------------------------------------------------------
# The lexicon. A noun is "cat" (plural cats), "knife/knives" (an irregular plural) or "bread!"
# (a mass noun: "some bread", never "a bread"). A verb is "walk" (walked) or "run/ran".
# ---------------------------------------------------------------------------------------------


def split_words(text: str) -> tuple[str, ...]:
    """The words of a whitespace-separated list: 'a b  c' -> ('a', 'b', 'c')."""
    return tuple(text.split())


NOUNS = {
    "thing": """
        ball kite key ribbon marble bucket spade basket bag box jar bottle bowl cup mug plate
        spoon fork knife/knives brush comb mirror lamp lantern candle rope net book notebook
        pencil pen crayon map letter parcel envelope stamp coin penny/pennies purse ticket toy
        doll drum whistle bell flag compass clock watch ring necklace button badge medal shell
        pebble feather stick umbrella blanket pillow sheet towel cushion rug tray kettle pot pan
        jug teapot saucer ladle sieve funnel candlestick postcard diary album puzzle kaleidoscope
        yo-yo rattle trumpet flute fiddle harmonica recorder banjo tambourine xylophone globe
        magnet thimble needle bobbin spool pincushion apron satchel suitcase trunk hamper
        crate barrel sack bundle parcel wreath garland bouquet vase jewel crown tiara wand
        sword shield helmet lunchbox flask canteen padlock chain hook peg clothespeg hanger
        ladder wheelbarrow cart sledge sled wagon scooter tricycle bicycle skateboard hoop
        rocking-horse spinning-top skipping-rope telescope spyglass microscope calendar poster
        painting picture photograph frame easel canvas chalkboard slate ruler rubber eraser
        sharpener stapler paperclip scrapbook sketchbook storybook dictionary atlas leaflet
        newspaper magazine comic card birthday-card invitation present gift prize trophy
        ornament toolbox paintbox matchbox shoebox moneybox keyring torch battery lightbulb
        mat doormat curtain blind quilt duvet mattress cradle pram buggy wheel sign kite
        cup saucepan colander rolling-pin tablecloth napkin teacup eggcup breadbin bin
        spinning-wheel loom thermometer barometer weathervane hourglass sundial abacus
        marionette puppet pinwheel windmill jigsaw domino/dominoes dice/dice
        skittle bat racket shuttlecock football rucksack knapsack haversack briefcase
        handbag locket brooch bracelet earring wristwatch spectacles! goggles! binoculars!
        balloon streamer lollipop parasol fan sponge soap! toothbrush hairbrush razor
        hammock deckchair windbreak bucket-and-spade beachball sunhat flowerpot plantpot
        birdcage birdhouse kennel hutch aquarium fishbowl candleholder lampshade doorbell
        alarm-clock cuckoo-clock grandfather-clock music-box jewellery-box sewing-box
        workbasket knitting-needle crochet-hook embroidery! tapestry/tapestries
        patchwork! handkerchief-box cookbook recipe notepad scroll banner pennant
        rosette ticket-stub coupon token voucher receipt bill
    """,
    "tool": """
        hammer saw ladder rake spade shovel broom mop trowel hoe axe chisel drill spanner
        wrench screwdriver nail screw bolt nut hinge file pliers! tongs! shears! scissors! glue!
        tape! string! twine! wire! plank board brick tile pipe hose watering-can pitchfork
        scythe sickle mallet crowbar lever pulley bellows anvil vice clamp paintbrush
        sandpaper! putty! varnish! oilcan grindstone whetstone tape-measure spirit-level
        plumb-line paint-pot workbench toolbox sawhorse
    """,
    "food": """
        apple pear plum cherry/cherries berry/berries strawberry/strawberries raspberry/raspberries
        blackberry/blackberries gooseberry/gooseberries grape orange lemon lime banana peach
        apricot melon pineapple coconut fig date nut walnut hazelnut almond chestnut carrot
        potato/potatoes tomato/tomatoes onion leek turnip parsnip cabbage lettuce cucumber
        pea bean radish beetroot celery! pumpkin marrow mushroom sprout bun cake biscuit loaf/loaves
        scone tart pie pasty/pasties muffin crumpet pancake waffle sandwich roll doughnut cookie
        sausage pickle egg
        bread! butter! cheese! milk! cream! jam! honey! porridge! soup! stew! toast! rice!
        flour! sugar! salt! pepper! tea! cocoa! cider! lemonade! custard! jelly! trifle! fudge!
        toffee! treacle! syrup! gravy! ham! bacon! chicken! fish! mackerel! herring! cod! salmon!
        crab! shrimp! mussel! oats! barley! yoghurt! marmalade! gingerbread! chocolate!
        pudding! crumble! meringue! dish/dishes picnic feast supper breakfast lunch dinner
        teatime! sweetcorn! spinach! kale! broccoli! cauliflower! asparagus! lentils! noodles!
        pizza dumpling omelette pretzel croissant bagel flapjack brownie macaroon
        ice-cream! broth! pastry! dough! cinnamon! ginger! nutmeg!
        vinegar! mustard! lard! suet! vanilla! raisin sultana currant
    """,
    "animal": """
        cat dog kitten puppy/puppies horse pony/ponies donkey cow calf/calves bull ox/oxen
        sheep/sheep lamb goat kid pig piglet hen chicken chick rooster duck duckling
        goose/geese gosling
        turkey rabbit hare mouse/mice rat hamster guinea-pig hedgehog squirrel badger fox otter
        stoat weasel mole vole shrew bat deer/deer fawn wolf/wolves bear owl owlet robin wren
        sparrow blackbird thrush starling swallow swift magpie crow raven rook jackdaw pigeon
        dove gull seagull tern puffin cormorant heron egret kingfisher woodpecker cuckoo lark
        finch goldfinch chaffinch bluetit pheasant partridge swan cygnet moorhen coot curlew
        oystercatcher sandpiper seal pup dolphin porpoise whale crab lobster shrimp/shrimp prawn
        starfish/starfish jellyfish/jellyfish limpet winkle mussel cockle clam oyster fish/fish
        mackerel/mackerel eel trout/trout minnow tadpole frog toad newt lizard snake slowworm
        snail slug worm caterpillar butterfly/butterflies moth bee bumblebee wasp ant beetle
        ladybird spider fly/flies gnat dragonfly/dragonflies grasshopper cricket earwig
        woodlouse/woodlice
        centipede parrot canary budgie goldfish/goldfish tortoise turtle bird nest
        kingfisher nightingale wagtail heifer mare foal stallion ram ewe lamb kid
        beaver panda tiger lion zebra giraffe elephant monkey camel kangaroo penguin
        crocodile hippo rhino gorilla ostrich peacock flamingo walrus reindeer/reindeer
        mink ferret polecat dormouse/dormice squirrel-monkey sheepdog terrier spaniel
        collie poodle bulldog greyhound tomcat tabby lapwing skylark yellowhammer
        bullfinch greenfinch nuthatch treecreeper warbler plover redshank godwit dunlin
        gannet shag kittiwake guillemot razorbill skua petrel albatross sea-lion
        sea-horse octopus/octopuses squid cuttlefish/cuttlefish anemone urchin sandhopper
        sprat pilchard plaice/plaice sole/sole flounder haddock/haddock
    """,
    "home": """
        floor kitchen step doorstep yard porch shed room hall attic cellar window door gate
        fence wall roof chimney staircase shelf/shelves cupboard table bench chair stool
        fireplace hearth stove oven sink bath bathtub bed bedroom parlour pantry larder
        scullery washhouse woodpile woodshed coalhouse henhouse stable barn hayloft dovecote
        greenhouse potting-shed path driveway lawn hedge flowerbed vegetable-patch allotment
        well pump drainpipe gutter windowsill letterbox doorknob banister landing corridor
        verandah balcony terrace courtyard alley cottage house farmhouse bakery forge workshop
        dairy mill school classroom library church chapel inn shop post-office lighthouse
        boathouse harbour quay jetty pier slipway breakwater market bridge tower
    """,
    "body": """
        head hand arm leg foot/feet knee elbow finger toe thumb nose mouth ear eye cheek chin
        neck shoulder back tummy tooth/teeth lip wrist ankle heel forehead eyebrow knuckle
        fingernail hip
    """,
    "nature": """
        tree flower leaf/leaves branch twig root bush hedge grass! moss! fern reed rush
        bulrush daisy/daisies buttercup dandelion primrose bluebell poppy/poppies rose tulip
        daffodil snowdrop violet foxglove thistle nettle clover! heather! gorse! bracken!
        ivy! holly! mistletoe! acorn conker pinecone seed stone rock boulder cliff cave hill
        valley/valleys meadow field wood forest stream brook river pond pool puddle lake
        waterfall spring marsh bog ditch island beach cove bay shore dune sand! pebble shingle!
        mud! dust! ice! snow! frost! dew! mist! fog! cloud rainbow star moon sun sky/skies
        sunrise sunset horizon wave tide rockpool seaweed! driftwood! spray! foam! current
        whirlpool reef harbour orchard vineyard garden place hay! fire bonfire thunder!
        lightning! air! rock rose hill mountain meadowsweet! willow oak birch beech ash pine
        elm hawthorn blackthorn chestnut-tree apple-tree cherry-tree lilac honeysuckle!
        marigold sunflower lavender! rosemary! mint! thyme! sage! parsley! crocus orchid
        mushroom toadstool puddle raindrop snowflake hailstone icicle cobweb
        pasture paddock copse thicket glade clearing grove spinney heath moor moorland
        headland peninsula estuary creek inlet lagoon sandbank mudflat saltmarsh/saltmarshes
        rockface ledge crag summit slope ridge gully/gullies hollow burrow den lair
        molehill anthill hedgerow verge towpath footpath bridleway stile signpost
        milestone boulder-field quarry/quarries gravel! pebbles! chalk-pit riverbank
    """,
    "boat": """
        boat rowboat sailboat dinghy/dinghies lifeboat fishing-boat ferry/ferries yacht barge
        raft canoe kayak ship steamer trawler oar paddle sail mast rudder anchor keel deck
        cabin hull bow stern tiller mooring buoy lighthouse beacon harbour-wall net lobster-pot
        creel float fishing-rod tackle! bait!
    """,
    "clothes": """
        coat jacket jumper cardigan sweater shirt blouse dress skirt apron scarf/scarves hat cap
        bonnet hood glove mitten sock stocking shoe boot slipper sandal belt braces! trousers!
        shorts! pyjamas! nightgown dressing-gown raincoat oilskin overcoat waistcoat shawl
        cloak pocket collar sleeve button bootlace shoelace ribbon handkerchief/handkerchiefs
    """,
    "role": """
        baker fisherman/fishermen farmer teacher doctor nurse sailor captain grocer blacksmith
        postman/postmen postmistress/postmistresses keeper shepherd milkman/milkmen butcher
        carpenter builder painter potter weaver tailor cobbler miller gardener cook
        innkeeper shopkeeper stranger traveller visitor neighbour cousin aunt uncle
        grandfather grandmother baby/babies twin pupil/pupils classmate crew/crew
        boy child/children friend girl man/men woman/women lady/ladies gentleman/gentlemen
        harbour-master ferryman/ferrymen lamplighter chimney-sweep musician fiddler
        vicar mayor/mayors policeman/policemen coastguard ranger farmhand dairymaid
        beekeeper fishwife/fishwives net-mender sailmaker boatbuilder ropemaker
        cooper thatcher plumber glazier locksmith watchmaker clockmaker bookseller
        librarian headmaster headmistress/headmistresses porter coachman/coachmen
        driver guard pedlar juggler acrobat clown magician storyteller singer dancer
    """,
    "school": """
        lesson sum spelling! word sentence story/stories poem song rhyme riddle question answer
        page chapter letter alphabet number desk blackboard chalk! ink! inkwell homework!
        playground register timetable test prize map globe project painting model colour
        story/stories party/parties concert play fair festival holiday birthday wedding
        game race match contest parade dance lesson-book exercise-book arithmetic! history!
        geography! music! science! drawing! handwriting! reading! grammar! verse
    """,
}

# The commonest words of each kind, drawn more often than the rest (so the corpus, like real
# text, has a few frequent words and many rare ones); they include every word of the later
# chapters' messages and instructions.
CORE_NOUNS = {
    "thing": """
        bag ball basket bell blanket book bottle bowl box bucket clock compass feather flag jar
        key kite lamp lantern letter map marble medal net notebook pebble penny/pennies ribbon
        shell spade toy umbrella whistle brush knife/knives picture sign wheel list glass sheet
    """,
    "clothes": "boot coat hat scarf/scarves",
    "food": """
        apple berry/berries biscuit bread! bun cake cheese! cherry/cherries fish! honey!
        loaf/loaves milk! pear pie plum dish/dishes
    """,
    "animal": """
        badger bird cat cow crab dog donkey fox goat gull hen heron horse kitten lamb lobster
        owl pony/ponies puppy/puppies rabbit seal sheep/sheep wolf/wolves swallow
    """,
    "home": """
        barn bench chair church door gate house inn lighthouse mill roof school shed table
        wall window yard chimney bed
    """,
    "nature": """
        bay beach cloud dune field flower hill leaf/leaves meadow nest pond pool puddle rock
        rose sand! sky/skies snow! tree wave wood daisy/daisies
    """,
    "boat": "boat net lifeboat",
    "tool": "spade brush knife/knives ladder",
    "body": "hand foot/feet",
    "role": "boy child/children friend fisherman/fishermen captain crew/crew doctor master",
    "school": "word sentence question story/stories party/parties picture",
}
CORE_VERBS = {
    "thing": """
        carry drop/dropped find/found lose/lost bring/brought give/gave keep/kept mark pick
        pull push replace sell/sold buy/bought take/took use mend paint fix leave/left move
        pass send/sent get/got tie forget/forgot remember finish change
    """,
    "food": "eat/ate bake share buy/bought sell/sold bring/brought",
    "animal": "feed/fed watch help find/found follow",
    "home": "clean paint mend fix",
    "person": "help trust tell/told love ask find/found",
    "none": """
        climb creep/crept cry fall/fell fly/flew hide/hid hurry laugh listen look race rest
        run/ran sit/sat stay stop/stopped swim/swam walk grow/grew shine/shone go/went
        come/came sing/sang
    """,
}

# Adjectives by what they can describe.
ADJECTIVES = {
    "colour": """
        red blue green yellow orange purple pink white black grey brown silver golden scarlet
        crimson violet lilac navy turquoise cream amber rusty-red sky-blue dark-green
    """,
    "thing": """
        old new little big small large tiny huge heavy light shiny rusty broken cracked clean
        dirty wet dry smooth rough sharp blunt empty full wooden tin brass glass painted
        striped spotted chipped dented battered precious favourite useful lovely handsome
        strange odd plain fancy narrow wide round square flat tall short long thick thin
        warm cold damp dusty muddy sticky tidy messy neat crooked straight curly bent shabby
        spare secret special ordinary enormous cheap expensive fragile sturdy bright dull
        polished faded gleaming sparkling patched mended lopsided wobbly creaky squeaky
        beautiful delicate ancient scratched soggy frozen silvery glittering hollow solid
        soft hard cosy comfortable spotless filthy tattered torn ragged massive miniature
        gigantic slippery steady shallow wrong mysterious magnificent peculiar splendid
        marvellous wonderful terrible dreadful horrible awful grand humble simple clever
        useless handy knobbly bumpy prickly fuzzy furry velvety silky woolly leathery
        oval triangular circular oblong pointed jagged frayed glossy matt rough-edged
        sealed unopened brand-new second-hand borrowed lost forgotten hidden missing
        stolen famous mighty puny feeble sturdy clattering jangling rattling ticking
        humming smelly fragrant perfumed musty mouldy rotten bendy stiff springy
    """,
    "food": """
        fresh warm hot cold sweet sour salty crisp soft crunchy juicy ripe stale spicy buttery
        sticky tasty delicious burnt plain homemade golden crumbly creamy smoky toasted
        steaming sugary lumpy runny chewy tender
    """,
    "animal": """
        small big young old fat thin hungry sleepy noisy shy bold tame wild friendly fierce
        muddy wet fluffy spotted striped brown black white grey ginger lame lost curious
        clever gentle playful lively timid proud silly greedy nervous lazy busy patient
        frightened injured tiny huge speckled shaggy sleek scruffy slow fast
    """,
    "feeling": """
        happy sad glad cross angry tired sleepy hungry thirsty cold hot worried afraid scared
        nervous excited proud ashamed lonely bored curious surprised puzzled calm cheerful
        grumpy jealous shy brave busy restless hopeful disappointed relieved grateful
        embarrassed delighted miserable anxious upset impatient thankful content sorry amazed
        confused frightened homesick eager peaceful sulky giddy determined gloomy
        thoughtful merry jolly weary drowsy chilly shivery feverish poorly unwell
        giggly chatty grouchy tearful joyful hopeless helpless fearless bashful dizzy
    """,
    "trait": """
        kind clever brave gentle patient generous honest cheerful careful careless clumsy
        quiet noisy shy bold lazy hard-working friendly grumpy wise silly stubborn polite
        rude helpful thoughtful forgetful curious sensible cheeky loyal fair strict
    """,
}

ADVERBS = split_words(
    """
    quickly slowly carefully quietly loudly gently softly happily sadly proudly bravely
    nervously eagerly patiently angrily cheerfully sleepily hungrily calmly kindly
    politely rudely suddenly finally slowly neatly firmly lightly smoothly roughly shyly
    boldly cleverly clumsily wisely gladly sternly warmly busily lazily hastily
    anxiously curiously silently steadily safely together carefully proudly eventually
    fast hard slowly cautiously gratefully hopefully wearily merrily briskly tenderly
    fiercely bravely noisily crossly sweetly loyally honestly patiently thoughtfully
    gracefully awkwardly clumsily loudly gleefully grimly sadly shakily nimbly swiftly
    smartly sharply tightly loosely easily happily heavily gingerly hurriedly
    """
)

# Verbs by what their object is; "swim/swam" gives an irregular past tense.
VERBS = {
    "thing": """
        find/found lose/lost drop/dropped carry pick/picked clean wash polish mend paint
        wrap/wrapped
        hide/hid
        count borrow lend/lent give/gave sell/sold buy/bought fetch pack unpack sort dry check
        tie untie open close keep/kept show move need/needed pass send/sent get/got leave/left
        bend/bent break/broke build/built burn/burnt dig/dug drag/dragged glue grab/grabbed
        heap knit/knitted lay/laid load mix pile plant pour press roll rub/rubbed sew/sewed
        sketch snap/snapped soak spin/spun stamp throw/threw toss twist unwrap/unwrapped wipe
        tidy straighten scrape spill/spilt scatter balance bundle crumple hold/held lift
        shake/shook turn trade swap/swapped decorate
        measure weigh label/labelled stack hang/hung fix bring/brought take/took use fill empty push
        pull mark share draw/drew post return polish oil sharpen fold repair collect
    """,
    "food": """
        eat/ate bake cook slice cut/cut share taste buy/bought sell/sold peel chop/chopped
        stir/stirred wrap/wrapped pack roast boil fry/fried simmer sprinkle knead sweeten
        season pour dunk devour gobble sample
        warm save nibble munch finish serve bring/brought carry weigh grate mash spread/spread
        butter sniff smell/smelt pick/picked gather crumble toast
    """,
    "animal": """
        feed/fed watch chase stroke pat/patted follow count draw/drew call rescue brush carry
        catch/caught frighten startle spot/spotted hear/heard help wash name feed/fed tickle
        cuddle comfort guide lead/led find/found free release shelter groom photograph
    """,
    "home": """
        sweep/swept scrub/scrubbed dust tidy paint mend clean wash fix check open close lock unlock
        decorate polish repair whitewash measure
    """,
    "person": """
        help thank hug/hugged visit trust love tell/told meet/met call follow find/found watch
        ask teach/taught warn
        surprise wake/woke miss tease forgive/forgave greet invite thank join comfort
        cheer remind
    """,
    "none": """
        laugh smile wait shout sing/sang dance run/ran hurry walk wander skip/skipped
        hop/hopped jump climb swim/swam row sail sit/sat stand/stood sleep/slept yawn sigh
        cry giggle shiver work play rest listen whistle hum/hummed grumble pause nod/nodded frown
        blush sneeze cough knock search look wonder dream/dreamt creep/crept tiptoe march
        stumble slip/slipped fall/fell dash race stroll paddle scramble wobble splash
        shrug/shrugged sniff chuckle tremble hesitate point stay
        stop/stopped blink breathe bounce crawl float fly/flew grin/grinned groan gasp glide
        gallop kneel/knelt lean limp linger mumble nap/napped peep peer plod/plodded prowl scurry
        slide/slid snore sob/sobbed sprint stare stretch swing/swung trot/trotted trudge twirl wave
        weep/wept whisper wink yell fidget shuffle sway grow/grew shine/shone blow/blew
        lie/lay arrive escape explore fish skate cycle dive shelter huddle cuddle snooze
        doze sulk pout boast argue apologise complain agree disagree guess hope pretend
        promise remember forget/forgot practise study learn/learnt read/read write/wrote
        spell/spelt count draw/drew sketch paint knit/knitted sew/sewed cook bake garden
        hike ramble roam drift bob/bobbed sink/sank steer tack anchor moor drown glow
        sparkle glitter twinkle flicker flash rumble crash thunder drip/dripped trickle
        gush bubble boil freeze/froze melt thaw steam sizzle crackle creak rattle jingle
        clang chime ring/rang buzz hiss howl roar squeak squawk chirp tweet cheep quack
        bark bleat neigh moo purr mew growl snarl whimper wriggle squirm slither scuttle
        flutter flap/flapped soar swoop perch nest graze munch gnaw burrow waddle
    """,
}

WEATHER_STORMY = split_words(
    """
    tempest squall hurricane gale storm thunderstorm blizzard downpour hailstorm cloudburst
    """
)
WEATHER_FAIR = split_words("sunshine breeze calm heatwave")
STORMY_ADJECTIVES = split_words(
    "stormy wild fierce rough howling blustery gusty raging bitter wet grey overcast thundery windy"
)
FAIR_ADJECTIVES = split_words(
    "balmy tranquil cloudless mild calm sunny bright clear still gentle glassy warm fair fine"
)
LIGHT_RAIN = split_words("drizzle shower sprinkle")

COLOURS = split_words(ADJECTIVES["colour"])
NUMBERS = split_words(
    "two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty "
    "fifty hundred"
)
ORDINALS = split_words("first second third fourth fifth sixth seventh eighth ninth tenth last")
SPEECH_VERBS = {
    ".": split_words(
        "said said said whispered replied answered muttered explained added admitted "
        "announced promised grumbled sighed declared murmured suggested agreed warned"
    ),
    "?": split_words("asked asked asked wondered enquired"),
    "!": split_words("cried shouted called exclaimed yelled laughed gasped"),
}

# ---------------------------------------------------------------------------------------------
# Word forms: plurals, past tenses, -ing and -s forms
# ---------------------------------------------------------------------------------------------

KEEP_HYPHEN = ("yo-yo", "guinea-pig", "ice-cream")
DOUBLE_ING = ("run", "swim", "sit", "cut", "put", "get", "dig", "win", "shut", "spin", "begin")


def regular_plural(noun: str) -> str:
    """'fox' -> 'foxes', 'berry' -> 'berries', 'cat' -> 'cats'."""
    if noun.endswith(("s", "x", "z", "ch", "sh")):
        return noun + "es"
    if noun.endswith("y") and noun[-2] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


def parse_noun(entry: str) -> tuple[str, str, bool]:
    """'knife/knives' -> ('knife', 'knives', False); 'bread!' -> ('bread', 'bread', True)."""
    mass = entry.endswith("!")
    entry = entry.rstrip("!")
    if entry not in KEEP_HYPHEN:
        entry = entry.replace("-", " ")
    singular, _, plural = entry.partition("/")
    return singular, plural or (singular if mass else regular_plural(singular)), mass


def regular_past(verb: str) -> str:
    """'bake' -> 'baked', 'carry' -> 'carried', 'walk' -> 'walked'."""
    if verb.endswith("e"):
        return verb + "d"
    if verb.endswith("y") and verb[-2] not in "aeiou":
        return verb[:-1] + "ied"
    return verb + "ed"


def ing_form(verb: str, past: str) -> str:
    """'stop' (stopped) -> 'stopping', 'bake' -> 'baking', 'tie' -> 'tying'."""
    if past == verb + verb[-1] + "ed" or verb in DOUBLE_ING:
        return verb + verb[-1] + "ing"
    if verb.endswith("ie"):
        return verb[:-2] + "ying"
    if verb.endswith("e") and not verb.endswith("ee"):
        return verb[:-1] + "ing"
    return verb + "ing"


def parse_verb(entry: str) -> tuple[str, str, str]:
    """'swim/swam' -> ('swim', 'swam', 'swimming'); 'bake' -> ('bake', 'baked', 'baking')."""
    base, _, past = entry.partition("/")
    past = past or regular_past(base)
    return base, past, ing_form(base, past)


NOUN_TABLE = {kind: tuple(map(parse_noun, split_words(text))) for kind, text in NOUNS.items()}
CORE_NOUN_TABLE = {kind: tuple(map(parse_noun, split_words(t))) for kind, t in CORE_NOUNS.items()}
CORE_VERB_TABLE = {kind: tuple(map(parse_verb, split_words(t))) for kind, t in CORE_VERBS.items()}
CORE_SHARE = 0.35  # how often a noun or verb comes from the common words
COUNTABLE = {kind: tuple(n for n in nouns if not n[2]) for kind, nouns in NOUN_TABLE.items()}
VERB_TABLE = {kind: tuple(map(parse_verb, split_words(text))) for kind, text in VERBS.items()}
ADJ_TABLE = {kind: split_words(text) for kind, text in ADJECTIVES.items()}
# Which adjectives suit which nouns; colours go with things, clothes and animals' coats.
NOUN_ADJECTIVES = {
    "thing": ADJ_TABLE["thing"] + COLOURS,
    "tool": ADJ_TABLE["thing"],
    "clothes": ADJ_TABLE["thing"] + COLOURS,
    "boat": ADJ_TABLE["thing"] + COLOURS,
    "food": ADJ_TABLE["food"],
    "animal": ADJ_TABLE["animal"],
    "home": split_words("old new little big clean dusty muddy quiet cold warm dark narrow wide"),
    "nature": split_words("tall little big old wild deep quiet green dark bright lovely"),
    "body": split_words("cold sore muddy left right"),
    "role": split_words("old young kind tall friendly busy tired cheerful"),
    "school": split_words("long short hard easy new funny strange"),
}
# Which kind of object each kind of verb takes.
VERB_OBJECTS = {
    "thing": ("thing", "thing", "tool", "clothes", "boat"),
    "food": ("food",),
    "animal": ("animal",),
    "home": ("home",),
}


def options(text: str) -> tuple[str, ...]:
    """The phrases of a '|'-separated list: 'at dawn | at noon' -> ('at dawn', 'at noon')."""
    return tuple(" ".join(part.split()) for part in text.split("|"))


# Things that animals and objects do on their own, in the past tense.
ANIMAL_DOINGS = options(
    """ran away | hid | slept in the sun | sat very still | waited | followed them home |
    made a funny noise | jumped up | rolled over | shook itself | hopped about | wandered off |
    came closer | looked up"""
)
THING_DOINGS = options(
    """rolled away | fell over | broke | cracked | slipped | wobbled | disappeared |
    floated away | sank | got wet | blew away | came loose | got stuck | went missing |
    fell into the water"""
)
PREPOSITIONS = options(
    "under | behind | beside | near | inside | by | next to | in front of | on top of | across |"
    " along | past"
)
TIME_PHRASES = options(
    """at dawn | at noon | at dusk | in the morning | in the afternoon | in the evening |
    after breakfast | before breakfast | after lunch | before supper | after supper |
    after school | before school | later that day | the next morning | that afternoon |
    on the way home | at last | at midnight | the day before | early that morning |
    late that night | by teatime | last week | yesterday | today"""
)
REASONS = (
    "it was {day}",
    "the wind had dropped",
    "everyone was busy",
    "nobody else would do it",
    "it was nearly {season}",
    "{his} {elder_kin} had asked {him} to",
    "the weather was so {fair}",
    "it was a special day",
    "there was no school that day",
)
STORMY_RESULTS = (
    "the fishing boats stayed in the harbour",
    "rain lashed the windows of every house",
    "the waves crashed over the quay",
    "the fishermen pulled their boats up the slipway",
    "the gulls huddled on the roofs",
    "the sheets on the washing lines were torn loose",
    "the lifeboat crew waited by the door",
    "thunder rumbled and lightning flashed over the hills",
    "the wind had blown all night and was still blowing",
    "rain kept falling and the gulls stopped flying",
    "it was raining so hard that nobody went out",
    "slates clattered down from the roofs",
)
FAIR_RESULTS = (
    "the sea was as flat as glass",
    "the boats rocked gently at the quay",
    "the washing dried in an hour",
    "the gulls floated high above the harbour",
    "everyone in Saltmere seemed to be smiling",
    "bees hummed in the gardens",
    "the children played outside until dusk",
    "the tide was low and the rock pools were full of crabs",
    "the sun kept shining on the water all day",
    "the water in the bay was glassy and green",
)


# ---------------------------------------------------------------------------------------------
# The grammar: noun phrases, predicates, clauses and sentences
# ---------------------------------------------------------------------------------------------


PREDICATE_KINDS = ("thing", "thing", "food", "animal", "home", "person", "none")


class Tale:
    """One story being written: its random stream, cast, place, season and weather."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        hero, friend = rng.sample(stories.CHILDREN, 2)
        elder = rng.choice(stories.ADULTS)
        self.cast = {
            "hero": stories.person_words(hero),
            "friend": stories.person_words(friend),
            "elder": stories.person_words(elder),
        }
        self.named: list[str] = []
        self.place = rng.choice(stories.PLACES)
        self.season = rng.choice(tuple(stories.SEASONS))
        self.month = rng.choice(stories.SEASONS[self.season])
        self.day, self.time = rng.choice(stories.DAYS), rng.choice(stories.TIMES)
        self.stormy = rng.random() < 0.5

    def chance(self, p: float) -> bool:
        """True with probability p."""
        return self.rng.random() < p

    def who(self, key: str, case: str = "he") -> tuple[str, bool]:
        """A person as a name or a pronoun ('he', 'him' or 'his'), and whether it is plural."""
        words = self.cast[key]
        if key not in self.named or self.chance(0.45):
            self.named.append(key)
            return (words[""] + "'s" if case == "his" else words[""]), False
        return words[case], words["he"] == "they"

    def noun(self, kind: str, plural: bool | None = None) -> tuple[str, bool, bool]:
        """A noun with perhaps an adjective or two: ('rusty old lantern', plural, mass)."""
        table = CORE_NOUN_TABLE if self.chance(CORE_SHARE) else NOUN_TABLE
        singular, plural_form, mass = self.rng.choice(table[kind])
        if plural is None:
            plural = not mass and self.chance(0.3)
        text = plural_form if plural and not mass else singular
        roll = self.rng.random()
        if roll < 0.4:
            text = f"{self.rng.choice(NOUN_ADJECTIVES[kind])} {text}"
        if roll < 0.07:  # two different adjectives: 'a rusty, crooked nail'
            first, second = self.rng.sample(NOUN_ADJECTIVES[kind], 2)
            text = f"{first}, {second} {text.split(' ', 1)[1]}"
        return text, plural and not mass, mass

    def phrase(self, kind: str, plural: bool | None = None, owner: str = "") -> tuple[str, bool]:
        """A noun phrase with a determiner, and whether it is plural: 'an old boot', 'her hens'."""
        text, plural, mass = self.noun(kind, plural)
        roll = self.rng.random()
        if owner or roll < 0.15:
            return f"{self.who(owner or 'hero', 'his')[0]} {text}", plural
        if roll < 0.5:
            return f"the {text}", plural
        if plural and roll < 0.65:
            return f"{self.rng.choice(NUMBERS)} {text}", plural
        if mass or plural:
            return f"some {text}", plural
        return with_article(text), plural

    def place_phrase(self) -> str:
        """Where something happens: 'at the harbour', 'behind the shed'."""
        if self.chance(0.5):
            return self.place.at if self.chance(0.6) else self.rng.choice(stories.PLACES).at
        kind = self.rng.choice(("home", "home", "nature"))
        return f"{self.rng.choice(PREPOSITIONS)} the {self.noun(kind, False)[0]}"

    def extras(self, p: float = 0.3) -> str:
        """Optional adverb, place and time, each with a leading space."""
        text = ""
        if self.chance(p):
            text += " " + self.rng.choice(ADVERBS)
        if self.chance(p):
            text += " " + self.place_phrase()
        if self.chance(p / 2):
            text += " " + self.rng.choice(TIME_PHRASES)
        return text

    def predicate(self, kind: str = "", p: float = 0.2) -> tuple[str, str, str, str]:
        """A verb and what follows it: (base, past, -ing form, the rest) to build any tense."""
        kind = kind or self.rng.choice(PREDICATE_KINDS)
        table = CORE_VERB_TABLE if self.chance(CORE_SHARE) else VERB_TABLE
        base, past, ing = self.rng.choice(table[kind])
        if kind == "none":
            rest = ""
        elif kind == "person":
            rest = " " + self.other_person()
        else:
            rest = " " + self.phrase(self.rng.choice(VERB_OBJECTS[kind]))[0]
        return base, past, ing, rest + self.extras(2 * p if kind == "none" else p)

    def other_person(self) -> str:
        """Someone to help, thank or visit: a grown-up of the cast or 'the old fisherman'."""
        if self.chance(0.5):
            return self.who(self.rng.choice(("friend", "elder")), "him")[0]
        return "the " + self.noun("role", self.chance(0.2))[0]

    def subject(self) -> tuple[str, bool]:
        """Who a clause is about: mostly the hero or the friend, sometimes the grown-up."""
        return self.who(self.rng.choice(("hero", "hero", "friend", "elder")))

    def clause(self) -> str:
        """A short clause in the past tense, chosen from several shapes."""
        return self.rng.choice(CLAUSES)(self)


def was(plural: bool) -> str:
    """'was' or 'were'."""
    return "were" if plural else "was"


def action_clause(tale: Tale) -> str:
    """'Mara carried the heavy basket carefully across the yard'."""
    subject, _ = tale.subject()
    _, past, _, rest = tale.predicate()
    return f"{subject} {past}{rest}"


def feeling_clause(tale: Tale) -> str:
    """'Tobin was very sleepy', 'she felt proud'."""
    subject, plural = tale.subject()
    feeling = tale.rng.choice(ADJ_TABLE["feeling"])
    verb = tale.rng.choice((was(plural), was(plural) + " very", "felt", "looked", "seemed"))
    return f"{subject} {verb} {feeling}"


def negative_clause(tale: Tale) -> str:
    """'Sam did not find the key', 'nobody saw the goat', 'she was not afraid'."""
    base, past, _, rest = tale.predicate()
    subject, plural = tale.subject()
    shape = tale.rng.randrange(5)
    if shape == 0:
        return f"no one {past}{rest}"
    if shape == 1:
        return f"{subject} never {past}{rest}"
    if shape == 2:
        return f"{subject} {was(plural)} not {tale.rng.choice(ADJ_TABLE['feeling'])}"
    if shape == 3:
        return f"nobody {past}{rest}"
    return f"{subject} did not {base}{rest}"


def there_clause(tale: Tale) -> str:
    """'there were three fat hens behind the shed'."""
    kind = tale.rng.choice(("thing", "animal", "food", "nature", "boat", "animal"))
    text, plural = tale.phrase(kind)
    if text.startswith("the "):
        text = text[4:]
        text = text if plural else with_article(text)
    if "'s " in text or text.split()[0] in ("her", "his", "their"):
        text = with_article(tale.noun(kind, False)[0])
        plural = False
    return f"there {was(plural)} {text} {tale.place_phrase()}"


def creature_clause(tale: Tale) -> str:
    """'a shaggy goat wandered off', 'the brass bell rolled away'."""
    if tale.chance(0.5):
        text, _ = tale.phrase("animal", False)
        return f"{text} {tale.rng.choice(ANIMAL_DOINGS)}"
    text, _ = tale.phrase(tale.rng.choice(("thing", "tool", "clothes")), False)
    return f"{text} {tale.rng.choice(THING_DOINGS)}"


def weather_clause(tale: Tale) -> str:
    """A clause whose weather words make it clear whether the day is stormy or fair."""
    rng = tale.rng
    if tale.stormy:
        storm = rng.choice(WEATHER_STORMY + LIGHT_RAIN)
        adjective = rng.choice(STORMY_ADJECTIVES)
        result = rng.choice(STORMY_RESULTS)
        verb = rng.choice(("blew in", "swept in", "roared in", "came"))
        sky = rng.choice(("", " under an overcast sky", " out of a dark sky"))
        source = rng.choice(("the sea", "the north", "the south", "the east", "the west"))
        return f"{with_article(adjective + ' ' + storm)} {verb} from {source}{sky}, and {result}"
    adjective, other = rng.sample(FAIR_ADJECTIVES, 2)
    result = rng.choice(FAIR_RESULTS)
    if tale.chance(0.5):
        return f"the {tale.time} was {adjective} and {other}, and {result}"
    wind = rng.choice(("a gentle breeze", "a soft breeze", "warm sunshine", "a mild breeze"))
    sky = rng.choice(("cloudless", "clear"))
    return f"{wind} drifted over Saltmere, the sky was {sky}, and {result}"


def everyday_clause(tale: Tale) -> str:
    """A clause about ordinary life: enough, since, towards, without, than, twice, its ..."""
    rng = tale.rng
    who, plural = tale.subject()
    his = tale.who("hero", "his")[0] if who[0].isupper() else tale.cast["hero"]["his"]
    thing = tale.noun(rng.choice(("thing", "clothes", "tool")), False)[0]
    food = tale.noun("food", False)[0]
    home = tale.noun("home", False)[0]
    habit = tale.predicate()
    return rng.choice(
        (
            f"{who} had enough {food} for everyone",
            f"{who} had not seen the {thing} since {tale.month}",
            f"{who} walked slowly towards the {home}",
            f"{who} went out without {his} {tale.noun('clothes', False)[0]}",
            f"the air was colder than {who} had thought",
            f"{who} read the sign twice",
            f"something was wrong with the {thing}",
            "it was time to go home",
            f"there was not any {food} left",
            f"{who} found the {thing} at the bottom of the {home}",
            f"{who} always {habit[1]}{habit[3]} on {tale.day}s",
            f"{who} {was(plural)} only a bit {rng.choice(ADJ_TABLE['feeling'])}",
            f"{rng.choice(PETS)} {rng.choice(ANIMAL_DOINGS)}",
            f"the {tale.noun('animal', False)[0]} shook its {rng.choice(('tail', 'head', 'ears'))}",
            f"{who} stayed by the fire for {rng.choice(NUMBERS[:4])} days",
            "nothing happened for a long time",
            f"{who} passed the {thing} to {tale.other_person()}",
            f"{who} pointed at the {thing} which was lying by the {home}",
            f"the Quills were {rng.choice(('busy', 'out', 'at home', 'at the market'))} that day",
        )
    )


PETS = ("Marigold the cow", "Biscuit the dog", "Captain Barnaby's cat", "the Quills' old goat")

CLAUSES: tuple[Callable[[Tale], str], ...] = (
    everyday_clause,
    everyday_clause,
    action_clause,
    action_clause,
    action_clause,
    feeling_clause,
    negative_clause,
    there_clause,
    creature_clause,
)


def progressive_clause(tale: Tale) -> str:
    """'Mara was feeding the hens', for 'while' clauses."""
    subject, plural = tale.subject()
    _, _, ing, rest = tale.predicate()
    return f"{subject} {was(plural)} {ing}{rest}"


def sentence(tale: Tale) -> str:
    """One narrative sentence: a clause alone or two joined in one of many ways."""
    rng = tale.rng
    first, second = tale.clause(), tale.clause()
    shape = rng.randrange(14)
    if shape < 4:
        return finish(first)
    if shape < 7:
        return finish(f"{first}, {rng.choice(('and', 'but', 'so'))} {second}")
    if shape == 7:
        return finish(f"while {progressive_clause(tale)}, {second}")
    if shape == 8:
        opener = rng.choice(("because", "when", "although", "after", "before", "as soon as"))
        return finish(f"{opener} {first}, {second}")
    joiner = rng.choice(("because", "when", "until", "before", "after", "while", "although"))
    if joiner == "while":
        return finish(f"{first} while {progressive_clause(tale)}")
    return finish(f"{first} {joiner} {second}")


def finish(text: str, stop: str = ".") -> str:
    """Capitalise a sentence and end it with a full stop."""
    return capitalise(text) + stop


# ---------------------------------------------------------------------------------------------
# Dialogue
# ---------------------------------------------------------------------------------------------

NAMES = tuple(person.name for person in stories.CHILDREN + stories.ADULTS)
INTERJECTIONS = split_words("Well Oh Look Yes No Please Listen Quick Hush Now Hmm Right")
REPLIES = (
    "Yes, I think so.",
    "No, not yet.",
    "I'm not sure.",
    "Of course!",
    "I don't know.",
    "Maybe tomorrow.",
    "That's a good idea.",
    "Never!",
    "Why not?",
    "All right.",
)

SAYINGS = (
    "If the weather changes, we must stay inside.",
    "Will you wait for us?",
    "Your {noun} look{plural_verb} lovely.",
    "Is this your {noun}?",
    "Who has taken my {noun}?",
    "Which way is the harbour?",
    "Don't worry, nothing bad will happen.",
    "I love the {noun}.",
    "Tell us one of your stories!",
    "Tell me a story about the sea.",
    "Can you see the lightning over the hills?",
    "What did you say?",
    "It's raining again.",
    "The {noun} smell{plural_verb} funny.",
    "Here comes the rain!",
    "Trust me.",
    "I can't reach the {noun}.",
    "Can you read this sign?",
    "Stop!",
    "Let me help you.",
    "Never mind.",
    "I need more time.",
    "The boats have already gone out.",
    "Captain Barnaby always asks about the weather.",
    "What colour is your {noun}?",
    "We're going to a party on Saturday.",
    "It's the usual Monday rush at the market.",
    "Don't leave the {noun} here.",
    "The clouds are moving fast.",
    "Is it going to change?",
    "Don't creep up on me like that!",
    "The roof needs mending.",
    "Mind the puddles!",
    "Look at all the daisies!",
    "Careful, the rocks are slippery.",
    "Who keeps dropping crumbs?",
    "There are two parties this week.",
    "Something smells lovely.",
    "The roses in the garden smell lovely.",
    "Look how high that gull flies!",
)


def dialogue_line(tale: Tale) -> str:
    """A line of speech in the present tense, ending in '.', '?' or '!'."""
    rng = tale.rng
    base, _, _, rest = tale.predicate()
    noun, plural, _ = tale.noun(rng.choice(("thing", "tool", "clothes", "food", "animal")))
    be = "are" if plural else "is"
    if tale.chance(0.3):
        return rng.choice(SAYINGS).format(noun=noun, be=be, plural_verb="" if plural else "s")
    return rng.choice(
        (
            f"I can't find my {noun}.",
            f"Have you seen my {noun}?",
            f"Where {be} the {noun}?",
            f"Let's {base}{rest}.",
            f"Did you {base}{rest}?",
            f"Don't {base}{rest}!",
            f"Will you help me {base}{rest}?",
            f"I don't want to {base}{rest}.",
            f"Can we {base}{rest} tomorrow?",
            f"Why {be} the {noun} so {rng.choice(ADJ_TABLE['thing'])}?",
            f"The {noun} {be} too {rng.choice(ADJ_TABLE['thing'])}.",
            f"We must {base}{rest} before it gets dark.",
            f"I won't {base}{rest}, I promise.",
            rng.choice(REPLIES),
            storm_line(tale),
        )
    )


def storm_line(tale: Tale) -> str:
    """Something said about the weather, stormy or fair to match the story."""
    if tale.stormy:
        storm = tale.rng.choice(WEATHER_STORMY)
        sea = tale.rng.choice(("rough", "wild"))
        return f"There's {with_article(storm)} coming, and the sea will be {sea}."
    return f"What a {tale.rng.choice(FAIR_ADJECTIVES)} day it is!"


def tag_line(tale: Tale, key: str, line: str) -> str:
    """Put a speaker's tag before, after or inside a line of speech."""
    rng = tale.rng
    name, _ = tale.who(key)
    verb = rng.choice(SPEECH_VERBS[line[-1]])
    adverb = " " + rng.choice(ADVERBS) if tale.chance(0.2) else ""
    # 'said Mara' or 'Mara said', but never 'said she'
    tag = f"{verb} {name}" if name in NAMES and tale.chance(0.6) else f"{name} {verb}"
    shape = rng.randrange(5)
    if shape == 0:
        return f'{capitalise(name)} {verb}{adverb}, "{line}"'
    if shape == 1 and line[0] != "I":
        word = rng.choice(INTERJECTIONS)
        return f'"{word}," {tag}{adverb}, "{line[0].lower() + line[1:]}"'
    if shape == 2:
        return f'{capitalise(name)} {rng.choice(ADVERBS[:20])} turned round. "{line}"'
    return f'"{stories.speech_comma(line)}" {tag}{adverb}.'


def conversation(tale: Tale) -> list[str]:
    """Two or more lines between the hero and someone else, each its own paragraph."""
    other = tale.rng.choice(("friend", "friend", "elder"))
    turns = tale.rng.randint(2, 4)
    return [tag_line(tale, ("hero", other)[turn % 2], dialogue_line(tale)) for turn in range(turns)]


# ---------------------------------------------------------------------------------------------
# Lists and notes, whose items each start a line
# ---------------------------------------------------------------------------------------------

LIST_INTROS = {
    "food": ("wrote a shopping list", "made a list of what to buy", "scribbled a list"),
    "chores": ("left a list of chores on the table", "wrote down the jobs for the day"),
    "thing": ("made a list of what to pack", "wrote a list of what to take"),
}
CHORE_KINDS = ("home", "animal", "thing", "food")


def list_item(tale: Tale, kind: str) -> str:
    """One line of a list: 'six eggs', 'pink ribbon', 'sweep the yard'."""
    if kind == "chores":
        verb_kind = tale.rng.choice(CHORE_KINDS)
        base = tale.rng.choice(VERB_TABLE[verb_kind])[0]
        return f"{base} the {tale.noun(tale.rng.choice(VERB_OBJECTS[verb_kind]))[0]}"
    text, plural, _ = tale.noun(kind)
    if plural and tale.chance(0.5):
        return f"{tale.rng.choice(NUMBERS)} {text}"
    return text


def list_paragraph(tale: Tale) -> str:
    """'Nell wrote a list:' and three to six items, one to a line."""
    kind = tale.rng.choice(tuple(LIST_INTROS))
    writer, _ = tale.who(tale.rng.choice(("hero", "elder")))
    drawn = [list_item(tale, kind) for _ in range(tale.rng.randint(3, 6))]
    items = list(dict.fromkeys(drawn))  # no item twice, first order kept
    return f"{capitalise(writer)} {tale.rng.choice(LIST_INTROS[kind])}:\n" + "\n".join(items)


def weather_board(tale: Tale) -> str:
    """A note on the weather board by the quay: one day's weather to a line."""
    days = tale.rng.sample(stories.DAYS, 3)
    lines = [weather_note(tale, day) for day in days]
    keeper = tale.rng.choice(("Mr Gale", "Captain Barnaby", "the harbour master"))
    return f"{capitalise(keeper)} had chalked the weather on the board by the quay:\n" + "\n".join(
        lines
    )


def weather_note(tale: Tale, day: str) -> str:
    """'Monday: squall, rough seas' or 'balmy and cloudless on Tuesday'."""
    rng = tale.rng
    if rng.random() < 0.5:
        note = f"{rng.choice(WEATHER_STORMY)}, {rng.choice(STORMY_ADJECTIVES)} seas"
    else:
        note = " and ".join(rng.sample(FAIR_ADJECTIVES, 2))
    return f"{day}: {note}" if rng.random() < 0.5 else f"{note} on {day}"


# ---------------------------------------------------------------------------------------------
# School lessons about words: opposites, plurals, meanings, true or false
# ---------------------------------------------------------------------------------------------

OPPOSITES = tuple(
    pair.split("/")
    for pair in split_words(
        """
        hot/cold wet/dry rough/smooth weak/strong rich/poor narrow/wide tidy/messy sharp/blunt
        best/worst true/false early/late fast/slow high/low full/empty clean/dirty sell/buy
        remember/forget push/pull finish/start awake/asleep shallow/deep heavy/light
        quiet/loud happy/sad calm/stormy tranquil/wild balmy/bitter above/below inside/outside
        first/last north/south east/west come/go open/shut found/lost give/take near/far
        """
    )
)
MEANINGS = {
    "tempest": "a tempest is a wild, fierce storm, with huge waves on the sea",
    "squall": "a squall is a sudden, fierce gust of wind that brings rain",
    "hurricane": "a hurricane is the fiercest storm of all, with howling winds",
    "gale": "a gale is a very strong wind that makes the sea rough",
    "drizzle": "drizzle is light, fine rain that hardly makes a sound",
    "balmy": "balmy means warm and gentle, like a summer evening",
    "tranquil": "tranquil means calm and quiet, with not a ripple on the water",
    "cloudless": "a cloudless sky is clear and blue from edge to edge",
    "overcast": "an overcast sky is grey and covered with cloud",
    "mild": "mild weather is neither too hot nor too cold",
    "glassy": "a glassy sea is so calm that it shines like a mirror",
}
FACTS = (
    ("a fish can swim", True),
    ("a cow can fly", False),
    ("snow is cold", True),
    ("the sea is dry", False),
    ("a squall is a kind of cake", False),
    ("a tranquil sea is calm", True),
    ("hens lay eggs", True),
    ("wolves live in the harbour", False),
)


def lesson_sentence(tale: Tale) -> str:
    """One sentence of a lesson about words, asked or answered by the hero or the teacher."""
    rng = tale.rng
    child = tale.cast["hero"][""]  # a name: 'asked Mara', never 'asked she'
    word, opposite = rng.choice(OPPOSITES)
    singular, plural, _ = rng.choice(COUNTABLE[rng.choice(("animal", "thing", "food"))])
    fact, answer = rng.choice(FACTS)
    term = rng.choice(tuple(MEANINGS))
    adjective, better = rng.sample(ADJ_TABLE["thing"], 2)
    return rng.choice(
        (
            f'"What is the opposite of {word}?" asked Mrs Dunlin, and {child} said, "{opposite}."',
            f'"The plural of {singular} is {plural}," said Mrs Dunlin, "and the singular of '
            f'{plural} is {singular}."',
            f'"True or false: {fact}?" asked Mrs Dunlin. "{"True" if answer else "False"}!" '
            f"said {child}.",
            f'"What does {term} mean?" asked {child}. "{capitalise(MEANINGS[term])}," said '
            "Mrs Dunlin.",
            f"Mrs Dunlin asked the class to replace the word {adjective} with a better word, "
            f"and {child} chose {better}.",
            "Every sentence starts with a capital letter, and a question ends with a question "
            "mark, Mrs Dunlin reminded them.",
            f"To make a sentence negative, {child} learned, you add not or never.",
            f"{capitalise(child)} had to write the words of a sentence in reverse order, and "
            "it looked very strange.",
            f"They put the names of {rng.choice(NUMBERS)} {plural} in alphabetical order.",
        )
    )


def lesson_paragraph(tale: Tale) -> str:
    """A short lesson at school, which may give the hero an idea."""
    opening = f"At school that {rng_time(tale)}, Mrs Dunlin gave a lesson about words."
    sentences = [lesson_sentence(tale) for _ in range(tale.rng.randint(2, 3))]
    return " ".join([opening, *sentences])


def rng_time(tale: Tale) -> str:
    """'morning' or 'afternoon'."""
    return tale.rng.choice(("morning", "afternoon"))


# ---------------------------------------------------------------------------------------------
# Events: an opening, a goal, troubles, help, an outcome and a closing
# ---------------------------------------------------------------------------------------------


def opening_paragraph(tale: Tale) -> str:
    """Who, when and where, then the weather."""
    rng = tale.rng
    hero, friend = tale.cast["hero"][""], tale.cast["friend"][""]
    when = rng.choice(
        (
            f"One {tale.day} {tale.time} in {tale.month}",
            f"Early one {tale.season} {tale.time}",
            f"On a {tale.day} at the end of {tale.month}",
            f"It was {tale.season} in Saltmere, and one {tale.time}",
        )
    )
    first = f"{when}, {hero} and {friend} were {tale.place.at}."
    return " ".join([first, finish(weather_clause(tale)), sentence(tale)])


def goal_paragraph(tale: Tale) -> str:
    """What the hero wants to do, and why."""
    rng = tale.rng
    base, _, _, rest = tale.goal
    hero, plural = tale.who("hero")
    reason = rng.choice(REASONS).format(
        day=tale.day,
        season=tale.season,
        his=tale.cast["hero"]["his"],
        him=tale.cast["hero"]["him"],
        elder_kin=rng.choice(("mother", "father", "grandmother", "teacher")),
        fair=rng.choice(FAIR_ADJECTIVES),
    )
    first = rng.choice(
        (
            f"{hero} wanted to {base}{rest}, because {reason}.",
            f"All week, {hero} had been hoping to {base}{rest}.",
            f"{hero} had decided to {base}{rest} before {rng.choice(('supper', 'dark'))}.",
            f"Today {hero} {was(plural)} going to {base}{rest}.",
        )
    )
    return " ".join([capitalise(first), sentence(tale)])


def trouble_paragraph(tale: Tale) -> str:
    """Something goes wrong: the weather, a lost or broken thing, an animal, a fall."""
    rng = tale.rng
    hero, plural = tale.who("hero")
    thing, thing_plural = tale.phrase(rng.choice(("thing", "tool", "clothes")), owner="hero")
    be = was(thing_plural)
    feeling, body = rng.choice(ADJ_TABLE["feeling"]), tale.noun("body", False)[0]
    trouble = rng.choice(
        (
            f"But then {weather_clause(tale)}.",
            f"But {hero} could not find {thing} anywhere.",
            f"Then {hero} saw that {thing} {be} broken.",
            f"Just then {creature_clause(tale)}, and {hero} {was(plural)} {feeling}.",
            f"On the way, {hero} slipped and hurt {tale.cast['hero']['his']} {body}.",
            f"But there was no {tale.noun('food', False)[0]} left in the house.",
        )
    )
    return " ".join([capitalise(trouble), sentence(tale)])


def help_paragraph(tale: Tale) -> str:
    """Someone helps, or someone has an idea."""
    rng = tale.rng
    elder, _ = tale.who("elder")
    friend, _ = tale.who("friend")
    base, _, _, rest = tale.predicate()
    helper = rng.choice(
        (
            f"{elder} showed them how to {base}{rest}.",
            f"Then {friend} had an idea.",
            f"{elder} came to help, and brought {tale.phrase('tool')[0]}.",
            f"{friend} said they could {base}{rest} instead.",
        )
    )
    return " ".join([capitalise(helper), sentence(tale)])


def outcome_paragraph(tale: Tale) -> str:
    """The end of the plot: it goes well, or it goes badly and someone makes the best of it."""
    rng = tale.rng
    base, past, _, rest = tale.goal
    hero, plural = tale.who("hero")
    good = rng.choice(("happy", "proud", "delighted", "glad", "relieved"))
    bad = rng.choice(("sad", "disappointed", "cross", "miserable", "upset"))
    if tale.chance(0.65):
        end = f"In the end, {hero} {past}{rest}, and {was(plural)} {good}."
    else:
        end = f"In the end, {hero} did not {base}{rest} that day, and {was(plural)} {bad}."
    return " ".join([end, sentence(tale)])


def closing(tale: Tale) -> str:
    """A last sentence or two."""
    rng = tale.rng
    hero, _ = tale.who("hero")
    dream = tale.noun(rng.choice(("animal", "boat", "thing")), True)[0]
    fair = rng.sample(FAIR_ADJECTIVES, 2)
    return rng.choice(
        (
            f"That night, {hero} dreamt of {dream}.",
            f"{capitalise(hero)} never forgot that {tale.season}.",
            f"The next day was {' and '.join(fair)}, and the sea was calm again.",
            sentence(tale),
        )
    )


# ---------------------------------------------------------------------------------------------
# Stories and the corpus
# ---------------------------------------------------------------------------------------------

MIDDLE: tuple[Callable[[Tale], "str | list[str]"], ...] = (
    trouble_paragraph,
    help_paragraph,
    conversation,
    list_paragraph,
    weather_board,
    lesson_paragraph,
    lambda tale: " ".join(sentence(tale) for _ in range(tale.rng.randint(2, 4))),
)


def middle(tale: Tale) -> list[str]:
    """One or two paragraphs from the middle of a story, in any order."""
    event = tale.rng.choice(MIDDLE)
    written = event(tale)
    return written if isinstance(written, list) else [written]


def draft_tale(rng: random.Random) -> str:
    """One story: opening, goal, a few middle events, an outcome and a closing."""
    tale = Tale(rng)
    tale.goal = tale.predicate(rng.choice(("thing", "food", "animal", "home")), p=0.0)
    paragraphs = [opening_paragraph(tale), goal_paragraph(tale), trouble_paragraph(tale)]
    for _ in range(rng.randint(2, 5)):
        paragraphs += middle(tale)
    paragraphs += [help_paragraph(tale), outcome_paragraph(tale)]
    while count_words("\n".join(paragraphs)) < MIN_WORDS:
        paragraphs += middle(tale)
    paragraphs.append(closing(tale))
    return "\n\n".join(paragraphs)


def count_words(text: str) -> int:
    """The number of words, counted as ``stories.story_words`` counts them."""
    return len(stories.story_words(text))


def generate_tale(seed: int, index: int) -> str:
    """Story ``index`` of a split: it depends only on (seed, index); too long a draft is redone."""
    rng = random.Random(f"tales-{seed}-{index}")
    while True:
        story = draft_tale(rng)
        if MIN_WORDS <= count_words(story) <= MAX_WORDS:
            return story


def generate_tales(seed: int, num_stories: int) -> str:
    """The first ``num_stories`` stories of a split, joined by the separator."""
    return STORY_SEPARATOR.join(generate_tale(seed, index) for index in range(num_stories))


def write_split(path: Path, seed: int, num_stories: int) -> str:
    """Write a split story by story (never all in memory) and return the file's sha256."""
    digest = hashlib.sha256()
    with path.open("w", encoding="utf-8", newline="\n") as file:
        for index in range(num_stories):
            chunk = (STORY_SEPARATOR if index else "") + generate_tale(seed, index)
            chunk += "\n" if index == num_stories - 1 else ""
            file.write(chunk)
            digest.update(chunk.encode("utf-8"))
    return digest.hexdigest()


def file_sha256(path: Path) -> str:
    """The sha256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# Chapter 5's course model trains on the grammar stories and the template stories together.
COURSE_TRAINING_FILES = (DATA_DIR / TRAIN_FILE, DATA_DIR / "stories_train.txt")


def build_if_missing(paths: list[Path]) -> None:
    """Write data/tales_train.txt if it is among paths and missing: it is built on first use."""
    for path in paths:
        if path.resolve() == (DATA_DIR / TRAIN_FILE).resolve() and not path.is_file():
            build_corpus(path)


def build_corpus(path: Path | None = None) -> Path:
    """Write ``data/tales_train.txt`` once (about 34 MB); later calls find it and do nothing."""
    path = path or DATA_DIR / TRAIN_FILE
    if path.exists() and file_sha256(path) == TRAIN_SHA256:
        return path
    print(f"Writing {path.parent.name}/{path.name} (about 34 MB, once) ...", flush=True)
    written = write_split(path, TRAIN_SEED, TRAIN_STORIES)
    if written != TRAIN_SHA256:
        raise RuntimeError(
            f"{path} has sha256 {written}, but TRAIN_SHA256 is {TRAIN_SHA256}: the generator "
            "has changed since the constant was recorded; record the new value on purpose."
        )
    return path


def write_val(path: Path | None = None) -> Path:
    """Write the validation split, small enough to commit, and check its sha256."""
    path = path or DATA_DIR / VAL_FILE
    written = write_split(path, VAL_SEED, VAL_STORIES)
    if written != VAL_SHA256:
        raise RuntimeError(f"{path} has sha256 {written}, but VAL_SHA256 is {VAL_SHA256}")
    return path


def describe(path: Path) -> str:
    """Counts of one split: stories, words, distinct words and bytes."""
    text = path.read_text(encoding="utf-8")
    words = stories.story_words(text)
    num_stories = len(stories.split_stories(text))
    return (
        f"{path.name}: {num_stories:,} stories, {len(words):,} words, "
        f"{len(set(words)):,} distinct words, {path.stat().st_size:,} bytes"
    )


def main() -> None:
    """Write both splits and print their counts, with the GPT-2 tokens of the validation file."""
    from helpers.tokenizers import gpt2_encoding  # only here: tiktoken is not needed to generate

    val_path, train_path = write_val(), build_corpus()
    for path in (train_path, val_path):
        print(describe(path))
    text = val_path.read_text(encoding="utf-8")
    tokens = gpt2_encoding().encode(text, allowed_special={"<|endoftext|>"})
    print(f"{val_path.name}: {len(tokens):,} GPT-2 tokens")


if __name__ == "__main__":
    main()
