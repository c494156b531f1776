"""The patterns ``bot.qa.talk`` sorts messages with: stop requests, subscriptions in words
(also in other languages), alerts, news, advice, portfolio, far-future, index and opinion
questions, questions about the bot and statements of a time zone.
"""

from __future__ import annotations

import re
import unicodedata

STOP = (r"\bunsub(?:scribe)?\b|\bstop\b.*\b(?:send|sending|messag\w*|post\w*|updates?|"
        r"notif\w*|digests?|spam\w*|dms?|stuff|texting|pinging|alerts?)\b|"
        r"\b(?:mute|turn off|no more|opt out)\b.*\b(?:posts?|updates?|messages?|notif\w*|"
        r"digests?)\b|\bleave me alone\b|"
        r"\b(?:don t|dont|do not|never|no)\s+(?:\w+\s+)?(?:send|message|text|dm|ping|spam|"
        r"write|contact)\w*\s+me\b|\bno (?:more )?(?:messages|notifications)\b.*\bplease\b|"
        r"\bno me (?:mandes|envíes|envies|escribas)\b|\bnão me (?:mande|envie)\b|"
        r"\bне (?:пиши|присылай|отправляй)\w*\b|\bschick\w* mir keine\b")
TIME = r"(?:\d{1,2}(?::\d{2})?\s*(?:am|pm)?|\d{1,2}h)"
WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)days?"
SUBSCRIBE = (r"\b(?:every|each)\s+(?:day|morning|evening|night|hour|\d+\s*h\w*|week\w*|"
             r"afternoon)\b|\b(?:send|report|update|digest|summary|post|recap)\w*\b.*\b(?:every|"
             r"each|on)\s+" + WEEKDAY + r"\b|\b(?:every|each|on)\s+" + WEEKDAY + r"\b.*\b(?:send|"
             r"report|update|digest|summary|summaries|post|recap)|\bweekly\b.*\b(?:reports?|"
             r"updates?|digests?|summar\w+)\b|\b(?:reports?|updates?|digests?|summar\w+)\b.*"
             r"\b(?:weekly|weekend)\b|\bdaily\b.*\b(?:updates?|posts?|digests?|reports?)\b|"
             r"\b(?:updates?|posts?|digests?|reports?)\b.*\b(?:daily|every day|each day)\b|"
             r"\bsend\b.*\bat\s+" + TIME + r"\b|\btwice a day\b|\bmorning and evening\b|"
             r"\b(?:updates?|digests?|reports?|summar\w+)\b.*\b(?:weekdays?|mornings?|evenings?|"
             r"(?:at|around) \d)")
# Schedule words of other languages, read as English before the patterns above.
SCHEDULE_WORDS: tuple[tuple[str, str], ...] = (
    (r"\bher sabah\b|каждое утро|по утрам|cada mañana|todas las mañanas|toda manhã|"
     r"todas as manhãs|jeden morgen", "every morning"),
    (r"\bher akşam\b|каждый вечер|por las noches|toda noite|jeden abend", "every evening"),
    (r"\bher gün\b|каждый день|ежедневно|todos los días|cada día|todos os dias|todo dia|"
     r"jeden tag|täglich", "every day"),
    (r"\b(?:cada|todos los|todo|todos os|jeden|каждое|каждый|her) (?:domingos?|sonntag|"
     r"воскресенье|pazar)\b", "every sunday"),
    (r"\b(?:cada|todos los|toda|todas as|jeden|каждый|her) (?:lunes|segundas?(?:-feiras?)?|"
     r"montag|понедельник|pazartesi)\b", "every monday"),
    (r"\b(?:cada|todos los|toda|todas as|jeden|каждую|каждый|her) (?:viernes|sextas?(?:-feiras?)?|"
     r"freitag|пятницу|cuma)\b", "every friday"),
    (r"(\d{1,2})\s*'?\s*(?:de|da|te|ta)\b|\bв (\d{1,2})\b|\ba las (\d{1,2})\b|"
     r"\bàs (\d{1,2})\b|\bum (\d{1,2})\b", r" at \1\2\3\4\5 "),
    (r"\bdos veces al día|duas vezes por dia|zweimal (?:am|pro) tag|два раза в день|"
     r"günde iki", "twice a day"),
)


def schedule_words(text: str) -> str:
    """``text`` with schedule words of other languages in English ("her sabah 8'de")."""
    low = unicodedata.normalize("NFKC", text).lower()
    for pattern, english in SCHEDULE_WORDS:
        low = re.sub(pattern, english, low)
    return low
ALERT = (r"(?<!whale )\balerts?\b|\bnotify\b|\bping me\b|\bremind me\b|\bwarn me\b|"
         r"\bsend (?:me|us) (?:a |an )?(?:message|msg|notification|dm|text|ping)\b.*\b(?:when|"
         r"if|once)\b|\blet me know\b.*\b(?:when|if|once)\b|"
         r"\bnotification when\b|\b(?:tell|let|dm|message|text|wake) me\s+(?:know\s+)?"
         r"(?:when|if|once|as soon as)\b.*\b(?:hits?|reach\w*|drops?|dips?|breaks?|goes|"
         r"falls?|cross\w*|touch\w*|gets? (?:to|below|above|under|over)|below|above|under|"
         r"over|\d+k?)\b")
NEWS = (r"\bnews\b|\bheadlines?\b|\bannouncements?\b|\bwhat happened\b|\blisting\b|"
        r"\bget(?:s|ting)? listed\b|\bairdrops?\b|\betf\b|\bsec\b|\bftx\b|\bcollaps\w*\b|"
        r"\bhack(?:s|ed)?\b|\bbankrupt\w*\b|\bwhy did\b.*\b(?:crash|fail|die|go down)\b")
ADVICE = (r"\btax(?:es)?\b|\bvergi\b|\bналог\w*|\bimpuestos?\b|\bsteuer\w*|"
          r"\b(?:which|what|best|safest|safe|good|recommend\w*)\b.*\b(?:exchanges?|wallets?|"
          r"brokers?|apps?)\b|\bexchanges?\b.*\b(?:safe|safest|best|recommend\w*|trust\w*)\b|"
          r"\bsignals?\b|\bvip\b|\b(?:group|channel) link\b|\bseed phrase\b|\bscam\b|"
          r"\bwithdraw\w*\b|\b(?:next )?\d+x gem\b|\bgems?\b|\bmoonshots?\b|"
          r"\bwhich coin (?:should|to|will)\b|\bbest coin\b|\b\d+\s*x\b|\bx\d+\b|"
          r"\b(?:which|what) (?:new |next |small |cheap )?(?:coins?|tokens?|alts?|altcoins?|"
          r"memecoins?) (?:will|to|should|can|could|is going to)\b|\bnext (?:big|pepe|shib)\b|"
          r"\b(?:buy|sell|trade|invest|swap)\w*\b.*\bfor (?:me|us)\b|\bwith my (?:card|"
          r"money|account)\b|\b(?:credit|debit) card\b|\bcompra\w* (?:por|para) m[ií]\b|"
          r"\bкупи\w* (?:мне|за меня)\b|\bdeposits?\b|\bkyc\b|"
          r"\bmanage my\b|\btrade for me\b|\b(?:open|place|close|execute|put)\b.*\b(?:long|"
          r"short|trade|order|position)\b.*\bfor me\b|\bapi keys?\b")
PORTFOLIO = (r"\bportfolio\b|\bmy (?:bags?|holdings?|positions?|pnl|wallet|balance|coins|"
             r"stack|trades?|profits?|losses|gains)\b|\b(?:profit|loss|lose|lost|gain\w*|make|made"
             r"|earn\w*) did i\b|\bdid i (?:make|lose|earn|gain)\b|\bam i (?:up|down|in profit)\b")
_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
FAR_FUTURE = (r"\b(?:in|by|until|till|before|of|year|prediction|predictions|forecast)\s+"
              r"20[3-9]\d\b|\b20[3-9]\d\s+(?:prediction|forecast|target|price)\b|"
              r"\b(?:in|next|within|after)\s+(?:\d+|two|three|five|ten|few)\s+years?\b|"
              r"\bdecade\b|\bnext year\b|\bend of (?:the )?year\b|\beoy\b|"
              r"\b\d+\s*years? from now\b|\b(?:" + _MONTHS + r")\w* \d{1,2}(?:st|nd|rd|th)?,? "
              r"20(?:2[7-9]|[3-9]\d)\b|\b\d{1,2}(?:st|nd|rd|th)? (?:" + _MONTHS + r")\w*,? "
              r"20(?:2[7-9]|[3-9]\d)\b|\bby 20[2-9]\d\b|"
              r"\bend of 20[2-9]\d\b|"
              r"\b(?:price|target|prediction|forecast)\s+(?:in |for |by )?20[34]\d\b|"
              r"\b(?:in|for|of) (?:the )?(?:year )?20(?:2[8-9]|[3-9]\d)\b|\blong term target\b")
INDEX = (r"\balt ?coin season\b|\bfear\s*(?:and|&|n|/)?\s*greed\b|\bdominance\b|"
         r"\bbtc\s?d\b|\baltseason index\b|"
         r"\brainbow chart\b|\bstock to flow\b|\bs2f\b|\bgoogle trends\b")
OPINION = (r"\bcooked\b|\bis it over\b(?! (?:there|here))|\bngmi\b|"
           r"\b(?:dip|time|moment) to (?:buy|sell|short|long|enter)\b|\bbuy the dip\b|"
           r"\bshould (?:i|we) (?:short|long|buy|sell|ape|enter|get in|get out|dca|hold|"
           r"exit|add|take profit)\b|\b(?:long|buy) or (?:short|sell|wait)\b|"
           r"\b(?:short|sell) or (?:long|buy|hold)\b|\bgood (?:entry|buy|time to|moment)\b|"
           r"\bmoon (?:soon|when)\b|\bwen moon\b|\bgoing to moon\b|\b(?:a|still a) buy\b|"
           r"\bworth (?:buying|a buy)\b|\bape (?:in|into)\b|\btoo late to\b|"
           r"\b(?:bullish|bull) or (?:bearish|bear)\b|\byes (?:or )?no\b|"
           r"\b(?:short|long|buy|sell)(?:ing)? (?!ratio|positions?|interest|squeeze)\w+ "
           r"(?:here|now)\b|"
           r"\bready to (?:explode|pump|moon|"
           r"dump|run|fly|break\w*)\b|\b(?:explode|send it)\b|\bhold or\b|\bstill hold\b|"
           r"\bkeep holding\b|\bshould (?:i|we) (?:keep|wait)\b|\bthis cycle\b|\bgood idea\b|"
           r"\bworth it\b|\b(?:buy|sell) now\b|"
           r"\b(?:expensive|cheap|overpriced|underpriced|overvalued|undervalued|overbought|"
           r"oversold)\b|\bis (?:it|that|this) true\b|\b(?:is|are) (?:\w+ )?(?:dead|dying|"
           r"finished|done for|a scam)\b|\b(?:safe|risky)\b.*\b(?:now|still|or)\b|"
           r"\bconviene\b|\bvale (?:a|la) pena\b|\b(?:comprar|vender)\b.*\b(?:o|ou) "
           r"(?:esperar|vender|comprar|aguardar)\b|\bes (?:buen|mal) momento\b|\bстоит ли\b|"
           r"\b(?:покупать|продавать)\b|\b(?:kaufen|verkaufen)\b.*\b(?:oder|jetzt|noch)\b|"
           r"\b(?:alınır|almalı|satmalı|alayım|satayım)\w*\b|\bpanic sell\w*\b|"
           r"\bsell\w* (?:or|and) (?:hold|wait)\b")



# Questions about the bot itself ("who made you?", "are you a bot?").
ABOUT = (r"\bwho (?:made|built|created|owns|runs) you\b|\bare you (?:a )?(?:bot|human|real|"
        r"person|ai)\b|\bwho are you\b|\bwhat are you\b|\breal person\b|\bwhat can you do\b|"
        r"\b(?:whats|what is) your name\b|\byour name\b|\bhow (?:do|should) i call you\b|"
        r"\bcomo te llamas\b|\bcómo te llamas\b|\bqual (?:é )?(?:o )?seu nome\b|"
        r"\bкак тебя зовут\b|\bwie heißt du\b|\badın ne\b")
# A question about the languages the bot reads ("you speak spanish?", "hablas español?").
_LANGS = (r"(?:english|spanish|español|espanol|portuguese|português|russian|turkish|german|"
          r"deutsch|french|italian|arabic|chinese|hindi|other languages?|my language|"
          r"any languages?|languages?)")
LANGUAGES = (r"\b(?:you|u|do you|can you|does (?:the|this) bot)\s+(?:speak|talk|understand|"
             r"write|reply|answer|know)\s+(?:in\s+)?" + _LANGS + r"\b|\b(?:speak|reply in|"
             r"answer in|talk in) " + _LANGS + r"\b|\bhablas\b|\bfalas?\b.*\bportugu\w+\b|"
             r"\bговоришь\b|\bпо-русски\b|\bsprichst du\b|\btürkçe (?:biliyor|konuş)\w*\b|"
             r"\bwhich languages?\b|\bwhat languages?\b")
# A time zone stated or asked ("my timezone is UTC+3", "i'm in istanbul", "set my tz").
ZONE = (r"\b(?:my )?time ?zone\b|\btz\b|\bi(?: am| m|m) (?:in|based in|from)\b|\bi live in\b")
# Compliments ("you're way better than the last bot"): thanked like thanks.
COMPLIMENT = (r"\b(?:you re|youre|you are|ur) (?:\w+ ){0,2}(?:better|the best|great|awesome|goated|"
              r"amazing|legend|smart)\b|\b(?:love|like) (?:this|the|you) bot\b|\bgood bot\b|"
              r"\b(?:love|like|enjoy|adore) (?:this|the|our|your|you) (?:group|chat|channel|"
              r"community|bot|place|guys)\b|\bbest (?:group|chat|community)\b|"
              r"\bme encanta\b|\bamo (?:este|esse) grupo\b|\bлюблю (?:этот|эту|вас)\b|"
              r"\bi love (?:you|u) (?:guys|all)\b")
# When this chat's digests go out ("when does the daily digest go out here?").
DIGEST_WHEN = (r"\b(?:when|what time)\b.*\b(?:digests?|updates?|reports?)\b.*\b(?:go out|come|"
               r"sent|arrive|"
               r"post\w*|scheduled)\b|\bwhat (?:digests?|subscriptions?)\b.*\b(?:have|set)\b")
# A sentence about oneself that asks nothing ("i hold btc and a bit of eth since 2022").
STATEMENT = (r"^(?:i|we|i m|im|my (?:friend|wife|husband|brother|sister|dad|mom|son)|"
             r"sorry)\s+(?:\w+\s+)?(?:hold|have|had|bought|own|got|sold|am|m|was|invested|"
             r"lost|says?|said|told|english|from|new|just)\b(?!.*\b(?:should|what|whats|how|"
             r"when|where|which|why|can|could|will|would|price|is it|tell me|worth)\b)")
# A question about every coin named before it ("and the price of both?").
EACH = (r"\b(?:both|each|all of them|them all|both of them|ambos|ambas|los dos|as duas|os dois|"
        r"beide|beiden|оба|обе|обоих|ikisi|ikisinin|hepsi)\b")
# The best hour or weekday to trade: no record says one does better.
TIMING = (r"\bbest (?:hour|hours|time of (?:the )?day|time of (?:the )?week|weekday|day of "
          r"(?:the )?week|day to (?:buy|sell)|days to (?:buy|sell))\b|\b(?:what|which) (?:hour|"
          r"weekday|day of (?:the )?week)\b.*\b(?:buy|sell|trade|enter)\b|\b(?:mejor|melhor) "
          r"(?:hora|horario|horário|d[ií]a)\b|\bлучш\w+ (?:время|час|день)\b|\bbeste "
          r"(?:uhrzeit|zeit|tag)\b|\ben iyi (?:saat|gün)\b")
# Words of everyday chat in the languages the bot reads ("i'm bored lol", "qué hora es").
CHAT_WORDS = frozenset({"lol", "lmao", "haha", "im", "m", "bored", "tired", "happy", "sad",
                        "funny", "joke", "weather", "food", "love", "hate", "que", "qué", "es",
                        "el", "la", "los", "un", "una", "o", "os", "as", "um", "uma", "é", "eu",
                        "tu", "yo", "ich", "du", "ist", "das", "der", "die", "и", "я", "ты", "как",
                        "что", "это", "ben", "sen", "ne", "bu", "mi", "nasıl"})
