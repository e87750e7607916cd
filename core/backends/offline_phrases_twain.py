"""The Twain voice: wry, unhurried, nineteenth-century American; understatement and
exaggeration around facts stated straight. Original lines, no quotations.

Every voice has the same slots and fields (the tests check it). The jokes carry no
weather facts of their own: sky words, numbers and weekdays arrive only through
the fields, and the flourishes are keyed by what the data says.
"""

PHRASES: dict[str, tuple[str, ...]] = {
    "lead": (
        "", "", "Well, ", "Well, sir, ", "Very well, ", "I have been out to consult the instruments, and ",
        "It is my solemn duty to report that ", "I have made inquiries, and ", "The telegraph brings word that ",
        "According to the instruments, which have never lied to me on purpose, ",
        "Without exaggeration, and I seldom travel without one, ",
        "I am pleased to say, or at any rate willing to say, that ", "Set down your coffee, because ",
        "The report is in, and ", "As near as a man can tell without going outside, ",
        "I have it on good authority, namely the weather service, that ",
        "Here is the truth, which I hand out sparingly: ", "The facts, for once, are simple: ",
        "I went and asked, and ", "Nobody asked my opinion of it, but ", "It will interest you to learn that ",
        "Having no talent for lying about the weather, I will simply tell you that ",
        "As a newspaperman of long standing I can report that ",
        "I consulted the weather service, which is more than the weather ever does, and ",
        "I will not keep you in suspense, a cruelty I reserve for my creditors: ", "Reliable parties inform me that ",
        "I have looked into the matter with the seriousness it deserves, which is not much, and ",
    ),
    "switch": (
        "", "As to the other town: ", "Turning to the other place, ", "As for the other place, ",
        "Moving along, ", "And the other one: ", "Having settled the first town, I find that ",
    ),
    "follow_lead": (
        "", "", "", "Well, ", "Well, sir, ", "I will tell you plainly: ", "Since you ask, ", "I looked into that too, and ",
    ),
    "error_lead": (
        "", "", "Well, ", "I am sorry to report that ", "It grieves me to say that ", "Here is an awkward thing: ",
        "I regret that ",
    ),
    "current": (
        "{place} is holding at {temp}, with {sky} to keep it company",
        "the thermometer in {place} reads {temp}, and the day has settled on {sky}",
        "{place} has arranged {sky} and {temp} for the occasion",
        "the weather in {place} this hour consists of {sky} and {temp}, which is more than some towns can say",
        "I find {place} at {temp} with {sky}, and I see no reason to doubt it",
        "{place} stands at {temp} with {sky}, and appears content with itself",
        "the mercury in {place} has climbed, or fallen, to {temp}, and the weather is offering {sky}",
        "{place} is presently doing business at {temp} with {sky}",
        "at this hour {place} has {sky} and {temp}, and nobody there has been consulted about it",
        "the people of {place} are presently putting up with {temp} and {sky}",
        "{place} reports {temp} and {sky}, and I am inclined to believe it, which is rare for me",
        "the town of {place} has {sky} at present, and the thermometer admits to {temp}",
    ),
    "wear": (
        "a man dressing for {place} this hour must dress for {temp} and {sky}",
        "{place} is at {temp} with {sky}, and your wardrobe ought to take that under advisement",
        "the question of trousers in {place} turns on {temp} and {sky}",
        "I have studied the matter of your wardrobe, and {place} is offering {temp} with {sky}",
        "in {place} it is {temp} with {sky}, and the clothes must answer to that",
        "before you open the closet, know that {place} has {temp} and {sky}",
        "the tailor's verdict depends on the weather, and in {place} the weather is {temp} with {sky}",
        "{place} presents {temp} and {sky}, which is the whole of the case your coat must answer",
    ),
    "forecast": (
        "I have looked {n} days into the future of {place}, which is further than most prophets dare, "
        "and I find temperatures between {low_min} and {high_max}",
        "the next {n} days in {place} will range from {low_min} to {high_max}, if the forecasters are as honest as they look",
        "{place} has {n} days of weather lined up, running from {low_min} at the bottom to {high_max} at the top",
        "over the coming {n} days {place} will wander between {low_min} and {high_max}, like a man who cannot decide on a hat",
        "prophecy is a risky trade, but the service ventures that {place} will see {low_min} to {high_max} over the next {n} days",
        "for {n} days running, {place} proposes to keep between {low_min} and {high_max}",
        "the forecast for {place} covers {n} days and spans {low_min} to {high_max}, "
        "which is a wider range than most politicians' principles",
        "{place} intends, over the next {n} days, to travel all the way from {low_min} to {high_max}",
        "the service has drawn up {n} days of prospects for {place}, and they run from {low_min} to {high_max}",
    ),
    "trip": (
        'for your expedition to {place}, the forecast promises {low_min} to {high_max}',
        '{place} will receive you with temperatures between {low_min} and {high_max}',
        'a traveller to {place} should prepare for {low_min} to {high_max}, and for the hotel bill, which no forecast covers',
        'I have examined the prospects for your stay in {place}, and find {low_min} to {high_max}',
        '{place} offers {low_min} to {high_max} for the length of your stay, and the journey will improve your mind while it empties your purse',
        'you will find {place} between {low_min} and {high_max} while you are there, which is more notice than the weather usually gives',
        'the pilgrim bound for {place} may look for {low_min} to {high_max}',
    ),
    "compare": (
        '{a} is at {temp_a} with {sky_a}; {b}, not to be outdone, offers {temp_b} with {sky_b}',
        'I have put the two side by side like mules at auction: {a} has {temp_a} and {sky_a}; {b} has {temp_b} and {sky_b}',
        '{a} reports {temp_a} and {sky_a}; {b} reports {temp_b} and {sky_b}; and neither town asked my permission',
        'in the matter of the two towns, the evidence for {a} is {temp_a} with {sky_a}; for {b} it is {temp_b} with {sky_b}',
        '{a} stands at {temp_a} with {sky_a}; {b} at {temp_b} with {sky_b}, which settles nothing except the facts',
        'comparisons are odious, but here is one anyway: {a} at {temp_a} with {sky_a}; {b} at {temp_b} with {sky_b}',
        'the rivalry stands thus: {a} with {temp_a} and {sky_a}; {b} with {temp_b} and {sky_b}',
    ),
    "tomorrow": (
        "tomorrow, being {day}, {place} expects {sky}, with the mercury going as high as {high} and as low as {low}",
        "the service predicts {sky} for {place} tomorrow, running from {low} to {high}, and it has been right before",
        "{place} has scheduled {sky} for tomorrow, {day}, with the mercury between {low} and {high}",
        "tomorrow in {place} promises {sky}, {high} at the warmest and {low} at the coolest, "
        "and promises are the cheapest thing the weather makes",
        "{day} in {place}, which is to say tomorrow, is booked for {sky}, {low} to {high}",
        "I am told tomorrow will bring {sky} to {place}, with temperatures from {low} to {high}",
    ),
    "weekend": (
        "the weekend in {place} will run from {low_min} to {high_max}, which is all the rest a body can ask",
        "{place} has set aside {low_min} to {high_max} for the weekend",
        "for the weekend, {place} offers temperatures between {low_min} and {high_max}, and no refunds",
        "the weekend forecast for {place} spans {low_min} to {high_max}, and the weekend is welcome to it",
        "{place} means to spend the weekend between {low_min} and {high_max}",
    ),
    "umbrella_yes": (
        "take the umbrella in {place}, for there is {reason}, and an umbrella left at home is a standing invitation",
        "I would carry an umbrella in {place}, since the record shows {reason}",
        "an umbrella is indicated in {place}: {reason}, and I have seen men ruined by less",
        "yes, the umbrella, by all means, since {place} has {reason}",
        "carry one, for {place} is offering {reason}, and the umbrella is the only argument the sky respects",
    ),
    "umbrella_no": (
        "you may leave the umbrella at home in {place} with an easy conscience: {reason}",
        "the umbrella can take the day off in {place}, as there is {reason}",
        "I see no call for an umbrella in {place}, with {reason}",
        "leave the umbrella in the stand, for {place} has {reason}",
        "an umbrella in {place} would be a mere ornament, there being {reason}",
    ),
    "wind_now": (
        "the wind in {place} comes out of the {direction} at {wind}, on no particular errand",
        "a {direction} wind is moving through {place} at {wind}",
        "the air in {place} is travelling {wind} from the {direction}, and not paying fare",
        "the wind in {place} is blowing {wind} out of the {direction}, and it has not asked anybody's leave",
        "{place} has the wind in the {direction} at {wind}, by the service's measure",
    ),
    "wind_days": (
        "the windiest day in {place} will be {windiest_day}, with {wind_max} of wind",
        "{windiest_day} brings the most wind to {place}, at {wind_max}",
        "the wind in {place} saves its best effort for {windiest_day}, at {wind_max}",
    ),
    "not_found": (
        "I have searched the whole of creation for a place called \"{query}\", and creation swears there is no such place",
        "there is no place called \"{query}\" on the map, and I have read the map twice",
        "the geocoding service could not find \"{query}\", and it has heard of a good many places",
        "I looked for \"{query}\" high and low, mostly low, and could not find it",
        "there is no such place as \"{query}\" on record, which makes it either a town nobody has founded yet "
        "or a spelling nobody has tried",
    ),
    "ambiguous": (
        "there are {count} places calling themselves {query}, which is more than a man can answer for at once",
        "{query} is a popular name, and I count {count} of them on the map",
        "the world is thick with places named {query}, {count} at the last count",
        "I found {count} towns answering to {query}, and every one of them claims to be the real article",
    ),
    "unavailable_rate_limited": (
        "the weather service has put a rate limit on my questions about {place}, and told me in so many words to stop pestering it",
        "I have asked after {place} so often that the weather service has put me on short rations, which it calls a rate limit",
        "the weather service has hit me with its rate limit over {place}, like a saloonkeeper cutting off a regular",
    ),
    "unavailable_service_unavailable": (
        "the weather service is unavailable for the present, so {place} must keep its secrets",
        "the weather service is unavailable, and the weather of {place} is locked up inside it",
        "I went to ask about {place} and found the weather service unavailable, which is to say not at home",
    ),
    "unavailable_timeout": (
        "I asked the weather service about {place}, and it took so long that the request timed out and I gave it up for dead",
        "my inquiry about {place} timed out and never came back, like a borrowed book",
        "the weather service fell asleep over my question about {place}, and the request timed out",
    ),
    "unavailable_other": (
        "the weather service returned an error for {place}, and declined to elaborate",
        "the weather service had some trouble with my question about {place}",
    ),
    "feels": (
        "It feels like {feels}, which is the figure your skin will believe.",
        "The body, which is a poor thermometer but a loud one, will report {feels}.",
        "It feels like {feels}, and feelings, in weather as in politics, carry the day.",
        "Anyone standing in it will swear it is {feels}.",
    ),
    "humidity_wind": (
        "The humidity stands at {humidity}, and a {direction} wind is going by at {wind}.",
        "There is {humidity} humidity in the air and a {wind} wind out of the {direction}.",
        "The wind comes from the {direction} at {wind}, and the air carries {humidity} humidity without complaint.",
        "Humidity is {humidity}; the wind, {wind} from the {direction}, minding its own business.",
    ),
    "gusts": (
        "It gusts to {gusts} now and then, by way of emphasis.",
        "Every so often a gust of {gusts} comes along to make a point.",
        "The gusts run to {gusts}, so keep a hand on anything you value.",
    ),
    "day_sentence": (
        "{day} offers {sky}, climbing to {high} and settling to {low}, with a {chance} chance of {precip_noun}.",
        "On {day} expect {sky}, between {low} and {high}, with a {chance} chance of {precip_noun}.",
        "{day} is down for {sky}, {high} at the top and {low} at the bottom, and a {chance} chance of {precip_noun}.",
        "For {day} the service prophesies {sky}, {low} to {high}, and a {chance} chance of {precip_noun}.",
    ),
    "day_list": (
        "Day by day, as the service tells it: {lines}.", "The particulars run as follows: {lines}.",
        "Here is the itinerary, as the weather has drawn it up: {lines}.",
    ),
    "long_summary": (
        "The warm end of it comes on {warmest_day} at {high_max}, and the cold end on {coolest_day} at {low_min}.",
        "{warmest_day} will be the warmest at {high_max}; {coolest_day} brings the coldest night, {low_min}.",
    ),
    "wet_days": (
        "The wet days are likely to be {wet_days}; plan your indoor virtues accordingly.",
        "If you must get wet, {wet_days} offer the best opportunity.",
        "The likeliest days for a wetting are {wet_days}.",
    ),
    "wet_day": (
        "The wet day is likely to be {wet_days}; plan your indoor virtues accordingly.",
        "If you must get wet, {wet_days} offers the best opportunity.",
        "The likeliest day for a wetting is {wet_days}.",
    ),
    "dry_all": (
        "Every day shows a {max_chance} chance of precipitation, which is the sky's way of taking the pledge.",
        "The chance of precipitation is {max_chance} every day, and I have seldom seen the sky so abstemious.",
    ),
    "dry_days": (
        "No day carries more than a {max_chance} chance of precipitation, which is as near a promise as the sky makes.",
        "The chance of precipitation never rises above {max_chance}, and I would not bet against it.",
    ),
    "chance": (
        "The chance of {precip_noun} stands at {chance}, which is the service's way of hedging its bet.",
        "They give it a {chance} chance of {precip_noun}, and I give them credit for candour.",
        "The chance of {precip_noun} is put at {chance}.",
    ),
    "amount": (
        "{day} may deliver about {amount}, by the service's arithmetic.",
        "The service puts the total for {day} at about {amount}.",
    ),
    "compare_warmer": (
        "{warmer} is the warmer of the two, and welcome to it.",
        "{cooler} is the cooler, which {cooler} will doubtless deny.",
        "So {warmer} wins on warmth, and {cooler} on character.",
        "The palm for warmth goes to {warmer}.",
    ),
    "compare_similar": (
        "There is not enough difference between them to start an argument, though people will try.",
        "On temperature the two are as near alike as twins, and about as quarrelsome.",
    ),
    "compare_dry": (
        "{dry} is the better bet for keeping your collar dry.",
        "If you value dry boots, {dry} is your town.",
    ),
    "candidates": ("The candidates are {candidates}.", "In the running: {candidates}.", "They are {candidates}."),
    "which": (
        "Which one did you have in mind?", "Tell me which one, and I will fetch its weather directly.",
        "Say which town, and I am at your service.",
        "I would hate to send you the weather for the wrong one, so which one is it?",
    ),
    "suggest": (
        "Perhaps you meant {suggestions}? Those at least exist.",
        "The nearest thing on the map is {suggestions}, if that is any comfort.",
        "Did you mean {suggestions}?",
    ),
    "no_suggest": (
        "If you can give me the spelling the town itself uses, or a bigger place nearby, I will try again.",
        "Give me another spelling, or a neighbouring city, and I will have another go.",
    ),
    "retry_failed": (
        "I tried a second time, on the theory that persistence is a virtue, and was refused again.",
        "I knocked twice; nobody came to the door either time.",
        "A second attempt fared no better than the first.",
    ),
    "no_guess": (
        "I would sooner go to church in my socks than invent the weather for {place}, so I shall not. "
        "Try me again in a few minutes.",
        "I could make something up, but I leave that to the almanac-makers; ask me again shortly "
        "and I will have the real figures.",
        "Rather than lie about {place}, which would be easy and pleasant, I will ask you to try again in a little while.",
        "I have no figures for {place}, and I will not manufacture any; try again presently.",
    ),
    "days_capped": (
        "The service has a limit of {limit} days, having more sense than most prophets, "
        "so you get {limit} days, not {requested}.",
        "You asked for {requested} days; the service's limit is {limit}, and so is mine.",
        "No honest forecaster goes past {limit} days, and I keep company only with honest ones, "
        "so {limit} days is the maximum, not {requested}.",
    ),
    "trip_capped": (
        "Your trip runs past the {limit}-day limit of the forecast, so I can vouch for it only up to {last_day}; "
        "after that you are in the hands of Providence.",
        "The forecast's limit is {limit} days, which is {last_day}; the rest of your stay is beyond the reach of science "
        "and very nearly of guesswork.",
    ),
    "coordinates_fixed": (
        "I confess I first sent the service to coordinates that do not exist on this planet; it called them invalid, "
        "and I have since found {place} where it belongs.",
        "My first try put {place} somewhere off the edge of the map, which the service reported as an error "
        "with some satisfaction; the figures here are for the right spot.",
        "I sent invalid coordinates on the first attempt, a thing that happens to the best of us and more often to me; "
        "it is corrected.",
    ),
    "retried": (
        "The weather service gave me some trouble at the first asking, but came round on the second.",
        "The first knock failed to raise the weather service, but the second was answered.",
        "The service turned me away once with an error, and I went back, which is the whole secret of journalism.",
    ),
    "wear_frigid": (
        "Put on everything you own, and then borrow from a neighbour.",
        "Dress as if you meant to winter with a polar expedition, and then add a scarf.",
        "Wear the heaviest coat you own, and your neighbour's, if he is not using it.",
    ),
    "wear_freezing": (
        "A heavy coat, a hat and gloves; this is no weather to be proud in.",
        "Put on the winter coat; a man can be brave or warm, and warm lasts longer.",
        "Gloves and a hat are not vanity in such weather, they are policy.",
    ),
    "wear_cold": (
        "A good warm coat will do, and a scarf for insurance.",
        "Wear a warm coat; the weather has no sympathy to spare, so bring your own.",
        "A coat, and a sweater beneath it, and you may look the day in the eye.",
    ),
    "wear_cool": (
        "A light jacket will answer, and you can carry it about as a conversation piece if you do not need it.",
        "A sweater or a light coat; the day is not hostile, merely reserved.",
        "Bring a jacket; it is better to carry a coat than a grudge.",
    ),
    "wear_mild": (
        "Light clothes will serve; this is weather that asks very little of a man.",
        "Wear what you like within reason; the day is in a forgiving humour.",
        "Shirt-sleeves and a light layer; a man could hardly ask for more, though I generally do.",
    ),
    "wear_warm": (
        "Dress light; this is weather for porches and idleness.",
        "Light clothes, and a hat for dignity.",
        "Leave the coat on its hook; it will not be missed.",
    ),
    "wear_hot": (
        "Wear as little as the law allows and keep to the shade.",
        "Dress light, keep to the shade, and drink water as if it were free, which it nearly is.",
        "This is weather for hammocks and iced tea, not for ambition.",
    ),
    "umbrella": (
        "Take an umbrella, and hold on to it; umbrellas are the only property nobody ever returns.",
        "Carry an umbrella; it is the one argument the sky respects.",
        "An umbrella would be wise, and a waterproof coat wiser.",
    ),
    "snow_gear": (
        "Wear boots with some grip to them; dignity is the first thing lost on a slippery street.",
        "Sturdy boots, for a man who goes down in the street never gets his dignity back entirely.",
    ),
    "windy": (
        "Keep a hand on your hat and the other on your opinions.",
        "A windproof coat is advisable; the air is in a hurry.",
        "Button up; the wind is in a mood to take liberties.",
    ),
    "pack": (
        "Pack for {low_min} to {high_max}, and leave room for the souvenirs you will regret.",
        "Bring clothes for anything from {low_min} to {high_max}; the trunk will complain, but trunks always do.",
        "Pack for {low_min} at the chilly end and {high_max} at the other.",
    ),
    "close_frigid": (
        "It is the kind of cold that makes a man reconsider his opinions of summer, and apologise to it.",
        "Weather like this builds character, which is a thing I have always been willing to let other people build.",
        "I have known colder days, but only in books written by liars.",
    ),
    "close_freezing": (
        "A cold snap is the one thing that gets a whole town to agree on something.",
        "It is good weather for staying indoors and admiring the outdoors through the glass.",
        "Cold weather is a fine thing to read about by a good fire.",
    ),
    "close_cold": (
        "It is brisk, which is the word people use when they are too proud to say cold.",
        "A day like this is mainly useful for making the next warm one look good.",
        "Nobody ever died of a brisk walk, though a good many have complained of one.",
    ),
    "close_cool": (
        "It is the sort of day that cannot make up its mind, which puts it in good company in the legislature.",
        "Cool weather is good for thinking, and I recommend you try it.",
        "It is pleasant enough that nobody will write home about it, which is the highest praise a day can get.",
    ),
    "close_mild": (
        "A day like this is so agreeable it is almost suspicious.",
        "The weather is behaving itself, and I would not mention it too loudly in case it hears.",
        "It is the kind of day that makes a man forgive his enemies, or at least postpone them.",
    ),
    "close_warm": (
        "It is warm enough to make idleness look like wisdom.",
        "Weather like this was invented for porches, and porches for the lazy, among whom I am proud to be numbered.",
        "A warm day is the finest excuse for doing nothing that Providence ever supplied.",
    ),
    "close_hot": (
        "It is hot enough that the thermometer is considering early retirement.",
        "In heat like this even the flies take a siesta.",
        "It is the kind of heat that makes a man sympathetic to the ice trade.",
    ),
    "close_wet": (
        "A wet day is the only time a man's umbrella is as popular as he is.",
        "Umbrellas were invented so that a man could be wet on one side only.",
        "There is nothing like a wet day for appreciating the inventor of the roof.",
    ),
    "close_snow": (
        "It is lovely to look at and a great deal of trouble to walk in, like most lovely things.",
        "The streets will be beautiful and treacherous, like a good many people I have known.",
    ),
    "close_windy": (
        "The wind has opinions, and is sharing them.",
        "It is the kind of wind that teaches a man the true value of a hat by taking it away.",
    ),
    "close_any": (
        "That is the weather; what you do about it is your own affair, since nobody else ever does anything about it.",
        "I report the weather; I do not endorse it.",
        "Forecasting is a respectable trade, and I mean to keep it that way by sticking to the figures.",
        "If the weather disappoints you, you are in excellent company.",
        "I have given you the facts; the opinions I will keep for my memoirs.",
    ),
    "close_error": (
        "The world is wide enough for any man to get lost in, so no shame attaches.",
        "I am sorry; a weatherman without the weather is like a preacher who has mislaid the text.",
        "My apologies; the trouble is with the machinery, not with you, and only partly with me.",
    ),
}
