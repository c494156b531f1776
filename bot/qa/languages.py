"""The catalogue's keywords in Spanish, Portuguese, Russian, Turkish and German.

Each entry rewrites a word, stem or short phrase to the English keyword of
``intents.py`` it stands for, before a question is split into words (``text.tokens``),
so one matcher serves every language. The answer stays in English.
"""

from __future__ import annotations

#: Spanish, Portuguese, Russian, Turkish and German words and stems, rewritten to the
#: English keyword they stand for before a question is split into words (``text.tokens``).
#: Patterns are regular expressions matched case-insensitively at a word start; a stem
#: (``поддерж\w*``) covers its inflections. The answer stays in English.
FOREIGN_WORDS: tuple[tuple[str, str], ...] = (
    # the Portuguese greeting "oi" ("oi, qual o preço…") is not open interest
    (r"oi+(?=\s*[,!.]+\s*(?:qual|quanto|quanta|como|tudo|bom|boa|algu[eé]m|voc[eê]s?|eu|me|o|"
     r"a|tem|sabe|pode|queria|quero|obrigad\w*)(?!\w)|\s*[,!.]*\s*(?:pessoal|gente|galera|"
     r"amigos?|tudo bem|bot)(?!\w))", "hi"),
    # coin names
    (r"биткоин\w*|биток\w*|биткойн\w*", "bitcoin"),
    (r"эфир\w*|эфириум\w*", "ethereum"),
    (r"солан\w*", "solana"),
    # questions about the future (before the single verbs below)
    (r"(?:va|vai) a (?:bajar|caer)|vai (?:cair|descer)|(?:düşer|düşecek|iner) ?mi", "will drop"),
    (r"(?:va|vai) a subir|vai subir|(?:yükselir|yükselecek|çıkar) ?mi", "will rise"),
    (r"steigt|wird \w+ steigen", "going up"),
    (r"fällt|wird \w+ fallen", "going down"),
    (r"упад[её]т|будет падать", "will drop"),
    (r"вырас(?:тет|ет)|будет расти", "will rise"),
    # follow-up openers ("¿y el semanal?", "und auf dem 4h?")
    (r"y (?:en )?(?:el|la)|e (?:no|o|a)|und (?:auf )?(?:dem|der|den)?|а (?:на)?|peki", "and the"),
    (r"semanal|недельн\w*|wöchentlich|haftalık|wochen", "weekly"),
    (r"diario|diário|дневн\w*|täglich|tages", "daily"),
    # where it goes, how it does, what we think
    (r"sube o baja|sobe ou desce|steigt oder fällt|вверх или вниз|yükselir mi düşer mi",
     "going up or down"),
    (r"(?:hacia |a )?d[oó]nde va|pra onde vai|para onde vai|куда (?:пойд[её]т|ид[её]т)"
     r"|wohin geht|wohin|nereye gider|ne olur", "where is going"),
    (r"c[oó]mo va|como está|wie läuft|как дела у|что с|nasıl gidiyor", "how is doing"),
    (r"qu[eé] opinas|o que (?:você )?acha|что думаешь|ne düşünüyorsun|was h[aä]ltst du"
     r"|deine meinung|tu opini[oó]n|sua opini[aã]o", "your opinion"),
    (r"an[aá]lis[ie]s|analiz\w*|анализ\w*|analyse", "your read"),
    # price
    (r"kaç dolar|kaç usd|в долларах|en d[oó]lares|em d[oó]lares|in dollar\w*", "in usd"),
    (r"курс\w*|kaç tl", "price"),
    (r"wie steht|was kostet|wie viel kostet|kurs\w*|kaç para|kaç oldu|kaçta|kaç\b|почем|"
     r"сколько стоит|cu[aá]nto (?:est[aá]|vale|cuesta)", "price"),
    (r"fiyat\w*|цен[аыуе]", "price"),
    (r"ne kadar|сколько|насколько", "how much"),
    (r"quanto (?:está|esta|vale|custa)", "price"),
    # moves over the day
    (r"subi[oó]|subiu|yükseldi|вырос\w*|gestiegen", "rose"),
    (r"baj[oó]|cay[oó]|caiu|düştü|упал\w*|gefallen|verloren", "fell"),
    (r"gewonnen|ganó|ganhou", "gained"),
    (r"yüzde kaç|yüzde", "percent"),
    (r"за сутки|сегодня|hoy|hoje|bugün|heute", "today"),
    (r"gerade|aktuell|ahora|agora|şimdi|сейчас", "now"),
    # levels
    (r"soportes?|suportes?|destek\w*|unterstützung\w*|поддерж\w*", "support"),
    (r"resistencias?|resist[eê]ncias?|diren[çc]\w*|widerst[aä]nd\w*|сопротивлен\w*",
     "resistance"),
    (r"seviye\w*|niveles?|n[ií]veis|n[ií]vel|уровн\w*|уровень", "level"),
    (r"nerede|dónde|donde|onde|где|wo ist|wo liegt", "where is"),
    # trend, bias, outlook
    (r"tendencias?|tend[eê]ncias?|trendi\w*|тренд\w*", "trend"),
    (r"tageschart|günlük", "daily chart"),
    (r"wochenchart", "weekly chart"),
    (r"gr[aá]fico|gr[aá]ficos|график\w*|grafi[kğ]\w*", "chart"),
    (r"semana|woche|недел[юяи]|hafta", "week"),
    (r"sentimiento|sentimento|stimmung|настроени\w*|duyarlılık", "sentiment"),
    (r"alcista|otimista|yükseliş|бычий|bullisch", "bullish"),
    (r"bajista|pessimista|düşüş|медвежий|bärisch", "bearish"),
    (r"perspectivas?|pron[oó]sticos?|previs[aã]o|previsi[oó]n|predicci[oó]n|tahmin\w*"
     r"|прогноз\w*|prognose\w*|aussicht\w*|beklenti\w*", "outlook"),
    # whales and derivatives
    (r"ballenas?|baleias?|balina\w*|wale|walen|кит(?:ы|ов|ам|ами|ах)?", "whales"),
    (r"что делают|ne yapıyor\w*|qué hacen|que hacen|o que fazem|was machen(?: die)?",
     "what are doing"),
    (r"покупают|comprando|compran|kaufen|alıyor\w*", "buying"),
    (r"продают|vendiendo|vendendo|verkaufen|satıyor\w*", "selling"),
    (r"volumen|объ[её]м\w*|hacim\w*", "volume"),
    (r"фандинг\w*|finanzierung\w*|fonlama\w*|financiaci[oó]n|financiamento", "funding"),
    (r"открыт\w* интерес\w*|inter[eé]s abierto|interesse aberto|açık pozisyon\w*",
     "open interest"),
)
