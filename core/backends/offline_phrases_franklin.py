"""The Franklin voice: an almanac-maker's counsel, didactic and economical, with
original maxims of thrift and prudence around exact figures (no quotations).
A maxim never reports weather itself; the figures and sky words come in only
through the {fields}, and each piece of counsel is chosen by what they say.
"""

PHRASES: dict[str, tuple[str, ...]] = {
    "lead": (
        "", "", "Friend, ", "Attend, reader: ", "Having consulted the glass, I can report that ",
        "As my almanac would set it down, ", "Plainly put, ", "Mark this: ", "Let the figures speak first: ",
        "By the latest observation, ", "Take note, friend, that ", "A prudent traveller asks, and so I answer: ",
        "To the point, for time is money: ", "The instruments report, and I relay, that ", "Observe: ",
        "In brief, since brevity is a saving: ", "Here is the account, honestly kept: ", "Good day to you; ",
        "My dear reader, ", "Knowledge before action, so: ", "Hear the instruments before you hear the gossip: ",
        "I have the figures, and figures do not flatter: ", "First the facts, then the counsel: ",
        "An honest report, as promised: ", "Set it down in your daybook that ",
    ),
    "switch": (
        "", "As to the second town, ", "Next, the other place: ", "Turning the page to the other town, ",
        "For the other, likewise: ", "And of the second place, I report that ",
    ),
    "follow_lead": ("", "", "", "Friend, ", "Plainly put, ", "Since you ask, ", "Mark this: ", "In brief, "),
    "error_lead": ("", "", "Friend, ", "I must report that ", "I regret to say that ", "In honesty, "),
    "current": (
        "{place} stands at {temp} with {sky}",
        "the glass in {place} shows {temp}, with {sky}",
        "at this hour {place} has {sky} and {temp}",
        "the present state of {place} is {temp} with {sky}",
        "{place} enters {temp} and {sky} in today's ledger",
        "in {place} the air is at {temp}, and the day offers {sky}",
        "the observation for {place} is {temp}, with {sky}",
        "{place} keeps {temp} at present, with {sky}",
        "one finds {sky} and {temp} in {place} at this hour",
        "the account for {place} stands thus: {temp}, with {sky}",
    ),
    "wear": (
        "the prudent dresser in {place} should know it is {temp} with {sky}",
        "for your attire in {place}, you must reckon on {temp} and {sky}",
        "{place} has {temp} with {sky}, and a sensible person dresses for the weather he has, not the weather he wishes",
        "before you choose your coat, know that {place} stands at {temp} with {sky}",
        "the wardrobe must answer to the weather, and in {place} the weather is {temp} with {sky}",
        "in {place} it is at present {temp} with {sky}, so dress accordingly",
        "your clothing is a small investment, and in {place} it must be made against {temp} and {sky}",
    ),
    "forecast": (
        "for the next {n} days {place} will range between {low_min} and {high_max}",
        "the forecast for {place} over {n} days runs from {low_min} to {high_max}, and a wise man plans by it",
        "over the coming {n} days you may set down {low_min} as the least and {high_max} as the most for {place}",
        "{place} may expect, across {n} days, temperatures from {low_min} to {high_max}",
        "the {n}-day account for {place} spans {low_min} to {high_max}",
        "he who plans ahead need not hurry, and {place} will see {low_min} to {high_max} over the next {n} days",
        "looking {n} days ahead, as every almanac-maker must, I find {place} between {low_min} and {high_max}",
        "the prospect for {place} these {n} days is {low_min} at the lowest and {high_max} at the highest",
    ),
    "trip": (
        'for your journey to {place}, you should provide for temperatures from {low_min} to {high_max}',
        'the traveller to {place} will meet {low_min} to {high_max}',
        'your stay in {place} is forecast at {low_min} to {high_max}',
        'a journey well provisioned is half made, and in {place} you may expect {low_min} to {high_max}',
        'for the length of your visit, {place} will keep between {low_min} and {high_max}',
        'the prospects for {place} during your visit are {low_min} to {high_max}',
    ),
    "compare": (
        '{a} stands at {temp_a} with {sky_a}; {b} at {temp_b} with {sky_b}',
        'weighed in the balance, {a} shows {temp_a} and {sky_a}; {b} shows {temp_b} and {sky_b}',
        'in {a} it is {temp_a} with {sky_a}; in {b} it is {temp_b} with {sky_b}',
        'the ledger for the two towns reads thus: {a}, {temp_a} with {sky_a}; {b}, {temp_b} with {sky_b}',
        '{a} reports {temp_a} and {sky_a}; {b} reports {temp_b} and {sky_b}',
        'set side by side, {a} has {temp_a} and {sky_a}; {b} has {temp_b} and {sky_b}',
    ),
    "tomorrow": (
        "tomorrow, {day}, {place} may expect {sky}, with the high at {high} and the low at {low}",
        "for tomorrow {place} shows {sky}, {low} to {high}, so lay out in the evening what you will need in the morning",
        "the morrow brings {sky} to {place}, between {low} and {high}",
        "{day} in {place}, being tomorrow, is forecast for {sky}, the high {high} and the low {low}",
        "he who looks to tomorrow sees, in {place}, {sky} and temperatures from {low} to {high}",
        "tomorrow's entry for {place} reads {sky}, high {high}, low {low}",
    ),
    "weekend": (
        "the days of rest in {place} will range from {low_min} to {high_max}",
        "for the weekend, {place} shows {low_min} to {high_max}",
        "{place} keeps between {low_min} and {high_max} over the weekend",
        "the weekend in {place} is forecast at {low_min} to {high_max}, so plan your leisure as carefully as your labour",
        "your weekend in {place} will lie between {low_min} and {high_max}",
    ),
    "umbrella_yes": (
        "take the umbrella in {place}, for there is {reason}; an umbrella carried costs nothing, a coat ruined costs much",
        "prudence says carry it, since {place} has {reason}",
        "yes, provide against it, for {place} shows {reason}",
        "the umbrella earns its keep in {place}, where there is {reason}",
        "carry the umbrella, for in {place} there is {reason}, and foresight is cheaper than the tailor",
    ),
    "umbrella_no": (
        "the umbrella may rest in {place}, there being {reason}",
        "you may spare yourself the umbrella in {place}, for there is {reason}",
        "no umbrella is wanted in {place}, with {reason}; carry no more than the day requires",
        "leave it at home, since {place} has {reason}",
    ),
    "wind_now": (
        "the wind in {place} blows from the {direction} at {wind}",
        "{place} has a {direction} wind of {wind} at present",
        "the vane in {place} shows the wind from the {direction}, at {wind}",
        "the air moves through {place} at {wind}, out of the {direction}",
    ),
    "wind_days": (
        "the greatest wind in {place} comes on {windiest_day}, at {wind_max}",
        "{windiest_day} will be the windiest day in {place}, at {wind_max}",
        "you may mark {windiest_day} for {place}, when the wind reaches {wind_max}",
    ),
    "not_found": (
        "I find no town by the name of \"{query}\" on any map the service keeps",
        "the service knows no place called \"{query}\"",
        "\"{query}\" was not found in the gazetteer",
        "I have searched the gazetteer for \"{query}\" and could not find it",
    ),
    "ambiguous": (
        "there are {count} places called {query}, and a wise man asks before he answers",
        "the name {query} belongs to {count} places",
        "{query} may mean any of {count} places",
        "I find {count} towns named {query}",
    ),
    "unavailable_rate_limited": (
        "the weather service has put a rate limit on my requests for {place}, and moderation is a virtue",
        "I have exceeded the weather service's rate limit for questions about {place}",
        "the weather service is busy and has rationed my inquiries about {place}",
    ),
    "unavailable_service_unavailable": (
        "the weather service is unavailable for the present, and I can get nothing for {place}",
        "the weather service is unavailable at present, so {place} must wait",
        "the weather service reports an error, and I have no report for {place}",
    ),
    "unavailable_timeout": (
        "my inquiry about {place} timed out, unanswered in the time allowed",
        "the weather service timed out answering for {place}, and time, as you know, is money",
        "the request for {place} timed out before the service replied",
    ),
    "unavailable_other": (
        "the weather service returned an error for {place}",
        "the weather service could not answer for {place}",
    ),
    "feels": (
        "Yet the body will reckon it {feels}.",
        "It feels like {feels}, and it is the feeling one must dress for.",
        "The skin, a faithful if partial witness, will report {feels}.",
    ),
    "humidity_wind": (
        "The humidity is {humidity}, and the wind blows from the {direction} at {wind}.",
        "Note {humidity} humidity and a {direction} wind of {wind}.",
        "The wind keeps {wind} from the {direction}; the air holds {humidity} humidity.",
        "Humidity {humidity}; wind {wind}, from the {direction}.",
    ),
    "gusts": (
        "Gusts reach {gusts}; secure what is loose.",
        "It gusts to {gusts} at times.",
        "Expect gusts of {gusts}, and keep a firm hold of your hat.",
    ),
    "day_sentence": (
        "{day}: {sky}, high {high}, low {low}, a {chance} chance of {precip_noun}.",
        "On {day}, {sky}, with {low} to {high} and a {chance} chance of {precip_noun}.",
        "{day} brings {sky}; the high is {high}, the low {low}, the chance of {precip_noun} {chance}.",
        "For {day}, set down {sky}, the high at {high}, the low at {low}, and a {chance} chance of {precip_noun}.",
    ),
    "day_list": (
        "The account, day by day: {lines}.", "Entered day by day, it reads: {lines}.",
        "In the daybook: {lines}.",
    ),
    "long_summary": (
        "The warmest day is {warmest_day} at {high_max}; the coldest night, {coolest_day} at {low_min}.",
        "Mark {warmest_day} for warmth at {high_max}, and {coolest_day} for cold at {low_min}.",
    ),
    "wet_days": (
        "The wet days are likely {wet_days}; arrange your errands around them.",
        "Expect to need cover on {wet_days}.",
        "Keep {wet_days} for indoor work.",
    ),
    "wet_day": (
        "The wet day is likely {wet_days}; arrange your errands around it.",
        "Expect to need cover on {wet_days}.",
        "Keep {wet_days} for indoor work.",
    ),
    "dry_all": (
        "Every day shows a {max_chance} chance of precipitation; a fine stretch for outdoor work.",
        "The chance of precipitation is {max_chance} throughout, so make the most of the dry days.",
    ),
    "dry_days": (
        "No day shows more than a {max_chance} chance of precipitation.",
        "The chance of precipitation rises no higher than {max_chance}; a fine stretch for outdoor work.",
    ),
    "chance": (
        "The chance of {precip_noun} is {chance}; provide accordingly.",
        "Reckon on a {chance} chance of {precip_noun}.",
        "The chance of {precip_noun} stands at {chance}.",
    ),
    "amount": ("{day} may bring about {amount}.", "The service reckons about {amount} for {day}."),
    "compare_warmer": (
        "{warmer} is the warmer, {cooler} the cooler.", "Choose {warmer} for warmth.",
        "For warmth, {warmer} has the advantage.",
    ),
    "compare_similar": (
        "There is little to choose between them on warmth, so choose on other merits.",
        "On temperature they are near equal.",
    ),
    "compare_dry": (
        "{dry} is the drier choice, and a dry coat is money saved.", "For dryness, prefer {dry}.",
    ),
    "candidates": ("They are {candidates}.", "The candidates are {candidates}.", "To wit: {candidates}."),
    "which": (
        "Tell me which one you intend, and I shall fetch its weather.", "Which town is yours?",
        "Tell me which place you mean, and you shall have its forecast.",
    ),
    "suggest": (
        "Perhaps you meant {suggestions}?", "The nearest name I know is {suggestions}; is that yours?",
        "Did you intend {suggestions}?",
    ),
    "no_suggest": (
        "Send me the spelling again, or a larger town nearby, and I will search anew.",
        "A second spelling, or the country, and I shall try again.",
    ),
    "retry_failed": (
        "I tried a second time, as patience advises, and was refused again.",
        "A second attempt fared no better.",
    ),
    "no_guess": (
        "I will not guess at the weather for {place}, for a false report is worse than none; try again shortly.",
        "Better no report than a false one; ask me again in a few minutes and I shall have the figures for {place}.",
        "I shall not invent what I cannot observe; try again presently.",
    ),
    "days_capped": (
        "The service's limit is {limit} days, so of the {requested} you asked, I give you {limit}; "
        "he that reaches too far grasps nothing.",
        "You asked for {requested} days, but the forecast can't reach beyond {limit} days; here are those {limit}.",
        "{limit} days is the maximum any forecast reaches, so I report those {limit} and not the {requested} requested.",
    ),
    "trip_capped": (
        "Your journey runs beyond the {limit}-day limit of the forecast; I can answer only to {last_day}, "
        "and the remainder must wait for a nearer day.",
        "The forecast is limited to {limit} days, to {last_day}; for the days after, ask again closer to the time.",
    ),
    "coordinates_fixed": (
        "I own that I first sent invalid coordinates; the service refused them, and I have corrected the error. "
        "A mistake owned is half mended.",
        "My first request carried coordinates out of range; corrected, it gives these figures for {place}.",
        "I erred in the coordinates at first, an error I have set right, so the figures are for {place} proper.",
    ),
    "retried": (
        "My first request failed; I asked again, as patience advises, and was answered.",
        "The first request met an error, but a second obliged.",
    ),
    "wear_frigid": (
        "Wear your heaviest coat, with hat, gloves and scarf; the cold takes payment from every uncovered inch.",
        "Dress in every layer you own; a chilled body is a costly thing to warm again.",
    ),
    "wear_freezing": (
        "A winter coat, hat and gloves; what you save by going light you will pay the physician.",
        "Put on the heavy coat and gloves; prudence is warmer than pride.",
    ),
    "wear_cold": (
        "A warm coat and a sweater beneath; it is cheaper to dress warm than to mend a cold.",
        "Wear a good coat; an hour's warmth is worth more than an afternoon's regret.",
    ),
    "wear_cool": (
        "A light coat or sweater; carry it if you need it not, for it is easier to take off than to wish on.",
        "Take a jacket; a small burden carried is better than a large one endured.",
    ),
    "wear_mild": (
        "Light clothes suffice; spend no more on the wardrobe than the day demands.",
        "Dress lightly but keep one layer at hand; moderation in all things.",
    ),
    "wear_warm": (
        "Dress light and keep water by you; the heat taxes the careless.",
        "Light, loose clothing, and a hat; the wise man does not labour at midday.",
    ),
    "wear_hot": (
        "Wear the lightest clothes, drink water often, and do your hard work early; the heat pays no wages.",
        "Keep to the shade, dress light and drink water; the heat is a creditor that always collects.",
    ),
    "umbrella": (
        "Carry an umbrella; a small cost now saves a large one later.",
        "Take the umbrella; the careful man is seldom wet.",
        "An umbrella, and perhaps a waterproof coat; provide for the worst and the best will take care of itself.",
    ),
    "snow_gear": (
        "Wear stout boots with good grip; a fall costs more than the boots.",
        "Good boots, well greased, are the best investment of the day.",
    ),
    "windy": (
        "Fasten your coat and secure your hat; the wind takes what is not held.",
        "A windproof layer is a prudent purchase.",
    ),
    "pack": (
        "Pack for {low_min} to {high_max}, and no more; the light traveller goes furthest.",
        "Provide for {low_min} at the coldest and {high_max} at the warmest, and you will want for nothing.",
    ),
    "close_frigid": (
        "Cold weather is a strict schoolmaster: it teaches preparation to those who neglected it.",
        "Who keeps his woodpile full keeps his temper whole.",
    ),
    "close_freezing": (
        "A warm hearth is cheaper than a physician.",
        "Lay up firewood in summer, and the winter will owe you nothing.",
    ),
    "close_cold": (
        "A coat worn is worth two left on the peg.",
        "He that dresses for the day he has will not be troubled by the day he wished for.",
    ),
    "close_cool": (
        "A light coat carried is lighter than a chill caught.",
        "Prepare for the cool of evening in the warmth of morning.",
    ),
    "close_mild": (
        "Fair days are for labour; use them, for they are not promised twice.",
        "A mild day well spent is worth a week of good intentions.",
    ),
    "close_warm": (
        "Work early while the air is kind, and rest when it is not.",
        "Begin your labour early and you will finish it in comfort.",
    ),
    "close_hot": (
        "Heat spends a man's strength as fast as folly spends his money; spare both.",
        "Drink water freely; it is the cheapest remedy in any almanac.",
    ),
    "close_wet": (
        "The umbrella is a small expense against a large discomfort.",
        "A dry coat is a kind of wealth.",
        "He that prepares for a wet day is never surprised by one.",
    ),
    "close_snow": (
        "Sure steps make long journeys.",
        "Haste on a slippery road is the shortest way to the surgeon.",
    ),
    "close_windy": (
        "The wind favours the man who has fastened his coat.",
        "Secure what is loose, and the wind will find nothing to take.",
    ),
    "close_any": (
        "Early knowledge of the weather is the cheapest insurance.",
        "Look before you go out, and you will not need to look back.",
        "Forewarned is fore-dressed.",
        "An hour of planning saves a day of regret.",
        "The prudent consult the weather; the imprudent consult their regrets.",
    ),
    "close_error": (
        "Better an honest \"I do not know\" than a confident error.",
        "A report delayed is better than a report invented.",
        "Patience is a virtue that costs nothing but time.",
    ),
}
