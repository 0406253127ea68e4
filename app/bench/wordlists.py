"""The words a synthetic corpus is made of: names, places, outlets, claim and quote templates.

A name is written `Canonical|Variant|Variant=Native`: the other spellings (transliterations, the
name without its diacritics, written-out umlauts) and, for Ukrainian and Russian names, the Cyrillic
original. First names carry `~f` when feminine, so that gendered surnames agree (Zakharov ->
Zakharova, Wiśniewski -> Wiśniewska).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Spelling:
    """A name as written in English-language sources, its other spellings, and its native form."""

    canonical: str
    variants: tuple[str, ...] = ()
    native: str | None = None
    feminine: bool = False


def spelling(entry: str) -> Spelling:
    feminine = entry.endswith("~f")
    entry = entry.removesuffix("~f")
    latin, _, native = entry.partition("=")
    canonical, *variants = latin.split("|")
    return Spelling(canonical, tuple(variants), native or None, feminine)


@dataclass(frozen=True)
class NameGroup:
    """First and last names of one language area, and the country its officials serve."""

    key: str
    country: str
    adjective: str
    weight: int
    first_names: tuple[Spelling, ...]
    last_names: tuple[Spelling, ...]
    gendered_endings: tuple[tuple[str, str], ...] = ()
    """Masculine -> feminine surname endings, Latin and Cyrillic."""


def spellings(entries: str) -> tuple[Spelling, ...]:
    """Comma-separated names, each as `spelling` reads it."""
    return tuple(spelling(entry.strip()) for entry in entries.split(","))


def _group(
    key: str,
    country: str,
    adjective: str,
    weight: int,
    first: str,
    last: str,
    gendered: tuple[tuple[str, str], ...] = (),
) -> NameGroup:
    return NameGroup(
        key,
        country,
        adjective,
        weight,
        spellings(first),
        spellings(last),
        gendered,
    )


_SLAVIC_ENDINGS = (("ov", "ova"), ("ev", "eva"), ("in", "ina"), ("ов", "ова"), ("ев", "ева"), ("ин", "ина"))

NAME_GROUPS: tuple[NameGroup, ...] = (
    _group(
        "uk",
        "Ukraine",
        "Ukrainian",
        26,
        "Dmytro|Dmitro=Дмитро, Oleksandr|Olexander|Alexander=Олександр, Volodymyr|Vladimir=Володимир, "
        "Iryna|Irina=Ірина~f, Oksana=Оксана~f, Mykhailo|Mykhaylo|Mikhail=Михайло, Andriy|Andrii=Андрій, "
        "Yuliia|Yulia=Юлія~f, Olena|Elena=Олена~f, Serhiy|Serhii=Сергій, Vitaliy|Vitalii=Віталій, "
        "Oleh|Oleg=Олег, Tetiana|Tetyana=Тетяна~f, Maksym|Maxim=Максим, Nataliia|Nataliya=Наталія~f, "
        "Bohdan|Bogdan=Богдан, Yevhen|Yevgen=Євген, Halyna|Galina=Галина~f, Taras=Тарас, "
        "Kateryna|Katerina=Катерина~f",
        "Kuleba=Кулеба, Zelenskyy|Zelensky|Zelenskiy=Зеленський, Shevchenko=Шевченко, "
        "Kovalenko=Коваленко, Bondarenko=Бондаренко, Tkachenko=Ткаченко, Kravchuk=Кравчук, "
        "Podolyak|Podoliak=Подоляк, Melnyk|Melnik=Мельник, Boyko|Boiko=Бойко, Marchenko=Марченко, "
        "Savchenko=Савченко, Rudenko=Руденко, Lysenko|Lisenko=Лисенко, Syniehubov|Sinegubov=Синєгубов, "
        "Klymenko|Klimenko=Клименко, Hrytsenko|Gritsenko=Гриценко, Pavlenko=Павленко, "
        "Zaluzhnyi|Zaluzhny=Залужний, Yermak=Єрмак, Honcharenko|Goncharenko=Гончаренко, "
        "Vereshchuk=Верещук, Ihnat|Ignat=Ігнат, Kyrylenko|Kirilenko=Кириленко, Humeniuk|Gumenyuk=Гуменюк",
    ),
    _group(
        "ru",
        "Russia",
        "Russian",
        26,
        "Dmitry|Dmitri|Dmitriy=Дмитрий, Vyacheslav|Viacheslav=Вячеслав, Sergei|Sergey=Сергей, "
        "Maria|Mariya=Мария~f, Alexei|Aleksei|Alexey=Алексей, Nikolai|Nikolay=Николай, "
        "Anatoly|Anatoliy=Анатолий, Valentina=Валентина~f, Yuri|Yury|Yuriy=Юрий, Igor=Игорь, "
        "Ramzan=Рамзан, Roman=Роман, Yelena|Elena=Елена~f, Vasily|Vasiliy=Василий, "
        "Svetlana=Светлана~f, Pyotr|Petr=Пётр, Grigory|Grigoriy=Григорий, Ksenia|Kseniya=Ксения~f, "
        "Yekaterina|Ekaterina=Екатерина~f, Denis=Денис",
        "Peskov=Песков, Gladkov=Гладков, Shoigu=Шойгу, Zakharov=Захаров, Lavrov=Лавров, "
        "Medvedev=Медведев, Kadyrov=Кадыров, Konashenkov=Конашенков, Volodin=Володин, "
        "Matviyenko|Matvienko=Матвиенко, Nebenzya|Nebenzia=Небензя, Ryabkov=Рябков, Patrushev=Патрушев, "
        "Sobyanin=Собянин, Pushilin=Пушилин, Saldo=Сальдо, Starovoit=Старовойт, Bogomaz=Богомаз, "
        "Kuznetsov=Кузнецов, Smirnov=Смирнов, Orlov=Орлов, Belousov=Белоусов, Gerasimov=Герасимов, "
        "Antonov=Антонов, Tishin=Тишин",
        _SLAVIC_ENDINGS,
    ),
    _group(
        "de",
        "Germany",
        "German",
        12,
        "Julian, Jürgen|Juergen, Björn|Bjoern, Jörg|Joerg, Sören|Soeren, Günter|Guenter, Lena~f, "
        "Käthe|Kaethe~f, Anja~f, Uwe, Matthias, Ursula~f, Annalena~f, Olaf, Friedrich, Bärbel|Baerbel~f, "
        "Hans-Jörg|Hans-Joerg, Gisela~f, Katrin~f, Tobias",
        "Röpcke|Roepcke, Müller|Mueller, Schäfer|Schaefer, Köhler|Koehler, Weiß|Weiss, Krüger|Krueger, "
        "Böhm|Boehm, Lührs|Luehrs, Hänsel|Haensel, Gößling|Goessling, Schröder|Schroeder, "
        "Strack-Zimmermann, Pistorius, Nouripour, Hofreiter, Kiesewetter, Jäger|Jaeger, "
        "Fröhlich|Froehlich, Meißner|Meissner, Dürr|Duerr",
    ),
    _group(
        "pl",
        "Poland",
        "Polish",
        7,
        "Łukasz|Lukasz, Paweł|Pawel, Małgorzata|Malgorzata~f, Grzegorz, Agnieszka~f, Wojciech, "
        "Katarzyna~f, Józef|Jozef, Radosław|Radoslaw, Zbigniew, Andrzej, Ewa~f",
        "Wiśniewski|Wisniewski, Kowalczyk, Zieliński|Zielinski, Dąbrowski|Dabrowski, Wójcik|Wojcik, "
        "Sikorski, Błaszczak|Blaszczak, Kamiński|Kaminski, Lewandowski, Mazur, Jabłoński|Jablonski, "
        "Kaczmarek",
        (("ski", "ska"),),
    ),
    _group(
        "tr",
        "Türkiye",
        "Turkish",
        5,
        "Gülşen|Gulsen~f, Mehmet, Ayşe|Ayse~f, Mustafa, Hakan, Zeynep~f, İbrahim|Ibrahim, "
        "Çağlar|Caglar, Emine~f, Recep",
        "Öztürk|Ozturk, Çelik|Celik, Şahin|Sahin, Yılmaz|Yilmaz, Kalın|Kalin, Demir, Aydın|Aydin, "
        "Erdoğan|Erdogan, Çavuşoğlu|Cavusoglu, Fidan",
    ),
    _group(
        "fr",
        "France",
        "French",
        6,
        "Hélène|Helene~f, François|Francois, Cécile|Cecile~f, Jérôme|Jerome, Amélie|Amelie~f, "
        "Emmanuel, Benoît|Benoit, Élodie|Elodie~f, Stéphane|Stephane, Agnès|Agnes~f",
        "Lefèvre|Lefevre, Dubois, Moreau, Girard, Faure, Barrot, Lecornu, Séjourné|Sejourne, Rousseau, "
        "Bérard|Berard",
    ),
    _group(
        "es",
        "Spain",
        "Spanish",
        4,
        "José|Jose, María|Maria~f, Ángel|Angel, Lucía|Lucia~f, João|Joao, Inês|Ines~f, Raúl|Raul, "
        "Sofía|Sofia~f",
        "Núñez|Nunez, Muñoz|Munoz, Peña|Pena, Gonçalves|Goncalves, Guterres, Borrell, Albares, "
        "Ibáñez|Ibanez, Martín|Martin, Conceição|Conceicao",
    ),
    _group(
        "nordic",
        "Norway",
        "Norwegian",
        4,
        "Søren|Soren|Soeren, Ásgeir|Asgeir, Åsa|Asa~f, Jens, Ingrid~f, Mette~f, Bjørg|Bjorg~f, Sauli, Ulf, "
        "Magdalena~f",
        "Sørensen|Sorensen|Soerensen, Ångström|Angstrom, Stoltenberg, Kristersson, Frederiksen, "
        "Niinistö|Niinisto, Støre|Store, Haavisto, Järvinen|Jarvinen, Lindqvist",
    ),
    _group(
        "en",
        "the United States",
        "US",
        20,
        "John, Sarah~f, Michael, Emily~f, David, Jennifer~f, Robert, Linda~f, James, Rachel~f, Thomas, "
        "Kate~f, Antony, Lloyd, Jake, Karine~f, Rishi, Kamala~f, Liz~f, Ben, Matthew, Laura~f, Daniel, "
        "Olivia~f, Christopher",
        "Smith, Johnson, Williams, Brown, Jones, Miller, Davis, Wilson, Taylor, Anderson, Lee, Harris, "
        "Clark, Lewis, Walker, Young, Allen, King, Wright, Scott, Green, Baker, Adams, Nelson, Carter, "
        "Mitchell, Roberts, Turner, Phillips, Campbell",
    ),
)

MIDDLE_INITIALS = tuple("ABCDEFGHIJKLMNOPRSTVWY")

# Places: the canonical English spelling, then other transliterations used in the press.
PLACES: tuple[Spelling, ...] = spellings(
    "Kyiv|Kiev, Kharkiv|Kharkov, Odesa|Odessa, Lviv|Lvov, Dnipro|Dnepr, Zaporizhzhia|Zaporozhye, "
    "Mykolaiv|Nikolaev, Kherson, Mariupol, Kramatorsk, Sloviansk|Slavyansk, Bakhmut|Artemovsk, Sumy, "
    "Chernihiv|Chernigov, Poltava, Vinnytsia|Vinnitsa, Zhytomyr|Zhitomir, Izium|Izyum, "
    "Kupiansk|Kupyansk, Pokrovsk, Avdiivka|Avdeyevka, Bucha, Irpin, Hostomel|Gostomel, "
    "Vuhledar|Ugledar, Nikopol, Enerhodar|Energodar, Kryvyi Rih|Krivoy Rog, Uman, "
    "Bila Tserkva|Belaya Tserkov, Chasiv Yar, Toretsk, Lyman, Robotyne|Rabotino, Orikhiv, "
    "Huliaipole|Gulyaipole, Kostiantynivka|Konstantinovka, Siversk, Okhtyrka|Akhtyrka, Konotop, "
    "Shostka, Pavlohrad|Pavlograd, Kremenchuk|Kremenchug, Ternopil, Lutsk, Rivne|Rovno, "
    "Ivano-Frankivsk, Uzhhorod|Uzhgorod, Chernivtsi, Khmelnytskyi, Cherkasy, Kropyvnytskyi, "
    "Berdiansk|Berdyansk, Melitopol, Tokmak, Nova Kakhovka, Skadovsk, Henichesk|Genichesk, "
    "Luhansk|Lugansk, Donetsk, Horlivka|Gorlovka, Makiivka|Makeyevka, Sievierodonetsk|Severodonetsk, "
    "Lysychansk|Lisichansk, Kupiansk-Vuzlovyi, Vovchansk|Volchansk, Selydove, Kurakhove|Kurakhovo, "
    "Belgorod|Bilhorod, Kursk, Bryansk, Voronezh, Rostov-on-Don, Taganrog, Krasnodar, Novorossiysk, "
    "Sevastopol, Simferopol, Kerch, Feodosia|Feodosiya, Yevpatoria|Eupatoria, Dzhankoi|Dzhankoy, "
    "Shebekino, Valuyki, Sudzha, Lgov, Klintsy, Engels, Saratov, Yeysk, Tuapse, Sochi, Moscow, "
    "St Petersburg|Saint Petersburg, Tula, Ryazan, Kaluga, Pskov, Millerovo, Morozovsk, Kaliningrad, "
    "Chișinău|Chisinau|Kishinev, Tiraspol, Minsk, Homel|Gomel, Brest, Warsaw, Rzeszów|Rzeszow, "
    "Przewodów|Przewodow, Vilnius, Riga, Tallinn, Narva, Helsinki, Bucharest, Constanța|Constanta, "
    "Galați|Galati, Izmail, Reni, Istanbul, Ankara, Berlin, Brussels, Geneva, Vienna, Bratislava, "
    "Budapest, Prague, Kraków|Krakow, Lublin, Suwałki|Suwalki, Daugavpils"
)

# (name, other names, web domain, is a news agency)
OUTLETS: tuple[tuple[str, tuple[str, ...], str, bool], ...] = (
    ("Reuters", ("Reuters news agency",), "reuters.com", True),
    ("Associated Press", ("AP", "the AP"), "apnews.com", True),
    ("Agence France-Presse", ("AFP",), "afp.com", True),
    ("dpa", ("Deutsche Presse-Agentur",), "dpa.com", True),
    ("TASS", ("ТАСС", "Tass"), "tass.com", True),
    ("RIA Novosti", ("РИА Новости",), "ria.ru", True),
    ("Interfax", ("Интерфакс",), "interfax.ru", True),
    ("Interfax-Ukraine", ("Інтерфакс-Україна",), "interfax.com.ua", True),
    ("Ukrinform", ("Укрінформ",), "ukrinform.net", True),
    ("UNIAN", ("УНІАН",), "unian.info", True),
    ("Bloomberg", ("Bloomberg News",), "bloomberg.com", True),
    ("ANSA", (), "ansa.it", True),
    ("EFE", ("Agencia EFE",), "efe.com", True),
    ("Anadolu Agency", ("Anadolu Ajansı", "AA"), "aa.com.tr", True),
    ("Polish Press Agency", ("PAP", "Polska Agencja Prasowa"), "pap.pl", True),
    ("The New York Times", ("the Times", "NYT", "New York Times"), "nytimes.com", False),
    ("The Washington Post", ("the Post", "Washington Post"), "washingtonpost.com", False),
    ("The Wall Street Journal", ("WSJ", "the Journal"), "wsj.com", False),
    ("The Guardian", ("Guardian",), "theguardian.com", False),
    ("BBC", ("BBC News", "the BBC"), "bbc.co.uk", False),
    ("CNN", (), "cnn.com", False),
    ("Bild", ("Bild-Zeitung", "BILD"), "bild.de", False),
    ("Der Spiegel", ("Spiegel",), "spiegel.de", False),
    ("Die Zeit", ("Zeit Online",), "zeit.de", False),
    ("Frankfurter Allgemeine Zeitung", ("FAZ",), "faz.net", False),
    ("Süddeutsche Zeitung", ("Sueddeutsche Zeitung", "SZ"), "sueddeutsche.de", False),
    ("Le Monde", (), "lemonde.fr", False),
    ("Libération", ("Liberation",), "liberation.fr", False),
    ("El País", ("El Pais",), "elpais.com", False),
    ("Gazeta Wyborcza", ("Wyborcza",), "wyborcza.pl", False),
    ("Hürriyet", ("Hurriyet",), "hurriyet.com.tr", False),
    ("Al Jazeera", (), "aljazeera.com", False),
    ("Newsweek", (), "newsweek.com", False),
    ("Politico", ("POLITICO",), "politico.com", False),
    ("NPR", ("National Public Radio",), "npr.org", False),
    ("Deutsche Welle", ("DW",), "dw.com", False),
    ("France 24", (), "france24.com", False),
    ("Radio Free Europe/Radio Liberty", ("RFE/RL", "Radio Svoboda", "Радио Свобода"), "rferl.org", False),
    ("The Kyiv Independent", ("Kyiv Independent",), "kyivindependent.com", False),
    ("Ukrainska Pravda", ("Українська правда",), "pravda.com.ua", False),
    ("Meduza", ("Медуза",), "meduza.io", False),
    ("The Moscow Times", ("Moscow Times",), "themoscowtimes.com", False),
    ("Novaya Gazeta", ("Новая газета",), "novayagazeta.ru", False),
    ("Kommersant", ("Коммерсантъ",), "kommersant.ru", False),
    ("Izvestia", ("Известия",), "iz.ru", False),
    ("RBC", ("РБК",), "rbc.ru", False),
    ("Hromadske", ("Громадське",), "hromadske.ua", False),
    ("Suspilne", ("Суспільне",), "suspilne.media", False),
    ("Financial Times", ("FT",), "ft.com", False),
    ("The Economist", (), "economist.com", False),
    ("Yle", (), "yle.fi", False),
    ("Aftenposten", (), "aftenposten.no", False),
    ("Corriere della Sera", (), "corriere.it", False),
)
OUTLET_NAME_SHAPES = (
    "The {place} Herald",
    "{place} Courier",
    "{place} Daily",
    "The {place} Observer",
    "{place} Gazette",
    "Radio {place}",
    "{place} TV",
    "{place} Online",
    "{place} Today",
    "The {place} Post",
)

# (name, other names, kind) of government bodies and organisations known by name.
NAMED_BODIES: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("Ministry of Defence of Ukraine", ("Ukrainian Defense Ministry", "Міноборони"), "government_body"),
    (
        "Ministry of Foreign Affairs of Ukraine",
        ("Ukrainian Foreign Ministry", "МЗС України"),
        "government_body",
    ),
    (
        "General Staff of the Armed Forces of Ukraine",
        ("Ukrainian General Staff", "Генштаб ЗСУ"),
        "government_body",
    ),
    ("Office of the President of Ukraine", ("Presidential Office", "Офіс Президента"), "government_body"),
    ("Security Service of Ukraine", ("SBU", "СБУ"), "government_body"),
    ("State Emergency Service of Ukraine", ("DSNS", "ДСНС"), "government_body"),
    ("Ukrainian Air Force", ("Повітряні сили",), "government_body"),
    (
        "Ministry of Defence of the Russian Federation",
        ("Russian Defence Ministry", "Минобороны России"),
        "government_body",
    ),
    ("Ministry of Foreign Affairs of Russia", ("Russian Foreign Ministry", "МИД России"), "government_body"),
    ("The Kremlin", ("Kremlin", "Кремль"), "government_body"),
    ("Federal Security Service", ("FSB", "ФСБ"), "government_body"),
    ("Russian Ministry of Emergency Situations", ("EMERCOM", "МЧС России"), "government_body"),
    ("Black Sea Fleet", ("Черноморский флот",), "government_body"),
    ("US Department of Defense", ("Pentagon", "the Pentagon"), "government_body"),
    ("US Department of State", ("State Department",), "government_body"),
    ("UK Ministry of Defence", ("British Defence Ministry", "UK MoD"), "government_body"),
    ("German Federal Foreign Office", ("Auswärtiges Amt", "Auswaertiges Amt"), "government_body"),
    ("Polish Ministry of National Defence", ("Ministerstwo Obrony Narodowej", "MON"), "government_body"),
    (
        "Turkish Ministry of Foreign Affairs",
        ("Dışişleri Bakanlığı", "Disisleri Bakanligi"),
        "government_body",
    ),
    ("European Commission", ("the Commission",), "government_body"),
    ("NATO", ("North Atlantic Treaty Organization", "the alliance"), "organisation"),
    ("United Nations", ("UN", "the UN"), "organisation"),
    ("Institute for the Study of War", ("ISW",), "organisation"),
    ("Amnesty International", ("Amnesty",), "organisation"),
    ("Human Rights Watch", ("HRW",), "organisation"),
    ("International Atomic Energy Agency", ("IAEA",), "organisation"),
    ("International Committee of the Red Cross", ("ICRC", "the Red Cross"), "organisation"),
    ("UN Human Rights Monitoring Mission in Ukraine", ("HRMMU",), "organisation"),
    (
        "Médecins Sans Frontières",
        ("Medecins Sans Frontieres", "MSF", "Doctors Without Borders"),
        "organisation",
    ),
    ("Conflict Intelligence Team", ("CIT",), "organisation"),
    ("Bellingcat", (), "organisation"),
    ("Naftogaz", ("Нафтогаз",), "organisation"),
    ("Ukrenergo", ("Укренерго",), "organisation"),
    ("Energoatom", ("Енергоатом",), "organisation"),
    ("Ukrzaliznytsia", ("Ukrainian Railways", "Укрзалізниця"), "organisation"),
    ("Rosneft", ("Роснефть",), "organisation"),
    ("Gazprom", ("Газпром",), "organisation"),
    ("Transneft", ("Транснефть",), "organisation"),
    ("Rosatom", ("Росатом",), "organisation"),
    ("Royal United Services Institute", ("RUSI",), "organisation"),
    ("Kyiv School of Economics", ("KSE",), "organisation"),
    ("World Food Programme", ("WFP",), "organisation"),
    ("Wagner Group", ("Wagner", "ЧВК Вагнер"), "group"),
    ("Pro-Kremlin military bloggers", ("Russian war bloggers", "milbloggers"), "group"),
    ("Western intelligence officials", (), "group"),
    ("Anonymous US officials", ("US officials",), "group"),
)
# Bodies made from a place: (shape, kind, the country group whose places it takes)
PLACE_BODY_SHAPES: tuple[tuple[str, str], ...] = (
    ("{place} Regional Military Administration", "government_body"),
    ("{place} City Council", "government_body"),
    ("{place} Oblast Administration", "government_body"),
    ("{place} Volunteer Centre", "organisation"),
    ("{place} Fire Brigade", "organisation"),
    ("Residents of {place}", "group"),
    ("Eyewitnesses in {place}", "group"),
    ("Volunteers in {place}", "group"),
)

PERSON_ROLES: tuple[tuple[str, str | None], ...] = (
    # (role, the kind of actor the person is affiliated with, if any)
    ("Spokesperson for the {body}", "government_body"),
    ("Governor of {place} Oblast", None),
    ("Mayor of {place}", None),
    ("Minister of Foreign Affairs of {country}", "government_body"),
    ("Member of the parliament of {country}", None),
    ("Military analyst at the {body}", "organisation"),
    ("Reporter at {outlet}", "outlet"),
    ("Correspondent for {outlet}", "outlet"),
    ("Resident of {place}", None),
    ("Commander of a {adjective} brigade", None),
    ("Head of the {body}", "organisation"),
)

MEDIA = (
    "Telegram post",
    "tweet",
    "press briefing",
    "interview",
    "statement to a reporter",
    "televised address",
    "press release",
    "Facebook post",
    "video address",
    "news conference",
    "VKontakte post",
    "radio interview",
)
STEP_MEDIA = ("news report", "wire report", "tweet", "broadcast", "live blog", "Telegram post")

# ---- claims ------------------------------------------------------------------------------------

ATTACKERS = (
    "two Ukrainian helicopters",
    "Russian cruise missiles",
    "a Shahed drone",
    "Ukrainian drones",
    "Russian artillery",
    "a Russian glide bomb",
    "Ukrainian forces",
    "Russian forces",
    "an Iskander missile",
    "a sabotage group",
    "a naval drone",
    "Ukrainian long-range missiles",
    "Russian bombers",
    "HIMARS rockets",
    "a Kh-101 missile",
    "Storm Shadow missiles",
    "a Ukrainian special forces unit",
    "unidentified aircraft",
    "an S-300 missile",
    "Russian attack drones",
)
TARGETS = (
    "the oil depot",
    "a fuel depot",
    "the railway bridge",
    "a power substation",
    "the grain terminal",
    "a hospital",
    "the hydroelectric dam",
    "an ammunition depot",
    "the airfield",
    "a school",
    "the thermal power plant",
    "a shopping centre",
    "the port",
    "a residential building",
    "the water treatment plant",
    "a military command post",
    "the regional administration building",
    "an air defence system",
    "a radar station",
    "the refinery",
    "a humanitarian aid warehouse",
    "the television tower",
    "the railway station",
    "a gas pipeline",
    "the border checkpoint",
    "a drone factory",
    "a barracks",
    "a fuel train",
    "a landing ship",
    "the central market",
)
EVENTS = (
    "shelling",
    "missile attack",
    "drone attack",
    "explosion",
    "air strike",
    "fire",
    "bombardment",
    "attack on the market",
    "strike on the railway station",
    "blast at the depot",
)
AUTHORITIES = (
    "the regional authorities",
    "the military administration",
    "the city council",
    "the emergency services",
    "the occupation authorities",
    "the interior ministry",
)
FACILITIES = (
    "the city",
    "the main hospital",
    "the water utility",
    "half of the region",
    "the nuclear power plant",
    "the metro",
    "the university campus",
    "the industrial district",
)
FORCES = (
    "Russian forces",
    "Ukrainian forces",
    "Wagner fighters",
    "an assault brigade",
    "Russian marines",
    "Ukrainian paratroopers",
)
COUNTRIES = (
    "Germany",
    "the United States",
    "Poland",
    "France",
    "the United Kingdom",
    "Türkiye",
    "Norway",
    "Spain",
    "the Netherlands",
    "Czechia",
)
WEAPONS = (
    "Leopard tanks",
    "air defence systems",
    "artillery shells",
    "armoured vehicles",
    "F-16 jets",
    "howitzers",
    "reconnaissance drones",
    "power generators",
    "rocket launchers",
    "demining vehicles",
)
ALTERNATIVES = (
    "a Russian false-flag operation",
    "an accident",
    "a fire caused by negligence",
    "a stray air-defence missile",
    "sabotage by local partisans",
    "a staged provocation",
)
FILLER = (
    "{place} has come under repeated attack in recent weeks.",
    "Emergency crews were at the scene by mid-morning, according to footage broadcast by local television.",
    "The full extent of the damage was not immediately clear.",
    "The area has been a focus of the fighting since the spring.",
    "Officials did not say how many people had been evacuated from {place}.",
    "Satellite images of {place} taken later in the day showed smoke over the area.",
    "The incident came a day after talks between the two sides ended without agreement.",
    "Traffic on the main road out of {place} was suspended for several hours.",
    "Fuel prices in the region rose sharply after the first reports.",
    "It was not the first such report from the region this month.",
    "Both sides have accused each other of targeting civilian infrastructure.",
    "Videos shared on social media showed a column of black smoke rising above {place}.",
    "Air raid sirens sounded across the region shortly before dawn.",
    "Schools in {place} moved their lessons online for the rest of the week.",
    "The regional railway said trains would run with delays.",
    "Residents described hearing several loud explosions in quick succession.",
    "The reports come as both armies prepare for a new phase of the war.",
    "Journalists were not allowed near the site.",
    "Independent monitors have documented dozens of similar incidents.",
    "Local officials later published photographs of the damaged buildings.",
)
QUESTIONS = (
    "Can you comment on the reports about {topic}?",
    "What do you know about {topic}?",
    "Is there any update on {topic}?",
    "Who is responsible for {topic}, in your view?",
    "Will there be an investigation into {topic}?",
)

# ---- quotes: one sentence each, as an article reports the speaker (third person) --------------
# {speaker} (capitalised as {Speaker}) is one of the actor's names; {clause} / {negated} are the
# claim as a lower-case clause and its negation; {topic} what it is about; {medium} ", in a tweet";
# {via} ", according to Reuters".
ARTICLE_QUOTES: dict[str, tuple[str, ...]] = {
    "asserted": (
        "“{Clause},” {speaker} said{medium}{via}.",
        "{Speaker} said{medium} that {clause}{via}.",
        "According to {speaker}, {clause}.",
        "{Speaker} wrote{medium} that {clause}{via}.",
        "{Speaker} insisted that {clause}.",
        "{Speaker} blamed the events on what they described as the fact that {clause}.",
    ),
    "confirmed": (
        "{Speaker} said the footage it had reviewed showed that {clause}.",
        "{Speaker} confirmed{medium} that {clause}{via}.",
        "After reviewing satellite images, {speaker} confirmed that {clause}.",
        "{Speaker} independently verified that {clause}{via}.",
    ),
    "denied": (
        "“{Negated},” {speaker} said{medium}{via}.",
        "{Speaker} denied that {clause}.",
        "{Speaker} dismissed reports that {clause} as “fake news”.",
        "{Speaker} rejected the claim that {clause}{via}.",
    ),
    "disputed": (
        "{Speaker} questioned whether {clause}, suggesting it could have been {alternative}.",
        "{Speaker} said it was far from clear that {clause}{via}.",
        "“There is no evidence that {clause},” {speaker} said.",
        "{Speaker} raised the possibility of {alternative} rather than the claim that {clause}.",
    ),
    "could_not_verify": (
        "{Speaker} said{medium} that it could neither confirm nor deny that {clause}.",
        "{Speaker} said it did “not have this information” about {topic}{via}.",
        "{Speaker} could not independently verify that {clause}.",
        "{Speaker} said it was unable to confirm reports about {topic}.",
    ),
    "declined_to_comment": (
        "{Speaker} did not respond to a request for comment about {topic}.",
        "{Speaker} declined to comment on {topic}{via}.",
        "Asked about {topic}, {speaker} said: “We have no comment at this time.”",
    ),
}
# ... and as a transcript gives the speaker's own words (first person).
TRANSCRIPT_QUOTES: dict[str, tuple[str, ...]] = {
    "asserted": (
        "{Clause}.",
        "I can tell you that {clause}.",
        "Our information is that {clause}.",
        "Let me be clear: {clause}.",
    ),
    "confirmed": (
        "We have verified that {clause}.",
        "I can confirm that {clause}.",
        "Our own experts established that {clause}.",
    ),
    "denied": (
        "{Negated}.",
        "That is simply not true: {negated}.",
        "These reports that {clause} are false.",
    ),
    "disputed": (
        "I would be very careful with the claim that {clause}.",
        "We doubt that {clause}; it may well have been {alternative}.",
    ),
    "could_not_verify": (
        "I can neither confirm nor deny that {clause}.",
        "We do not have this information about {topic}.",
    ),
    "declined_to_comment": (
        "I will not comment on {topic}.",
        "No comment on {topic} today.",
    ),
}

RATIONALES: dict[str, tuple[str, ...]] = {
    "in_review": ("Conflicting reports; checking the footage and official statements.",),
    "confirmed": (
        "Geolocated footage and two independent eyewitness accounts establish it.",
        "Satellite images and the operator's own statement confirm it.",
    ),
    "partly_confirmed": (
        "The event is established; who was responsible is not.",
        "The damage is confirmed by imagery; the casualty figure is not.",
    ),
    "unconfirmed": (
        "No independent evidence either way after a week of checking.",
        "Only one side's statements; no footage could be geolocated.",
    ),
    "misleading": ("The footage shared is real but from another place and date.",),
    "false": (
        "Imagery from the day shows the site intact.",
        "The figure was invented: the named hospital has no record of it.",
    ),
}
FACT_CHECKERS = ("anna.fact", "ben.checks", "carla.verify", "dmytro.desk", "eva.research", "farid.osint")
EDITORS = ("editor.greta", "editor.hugo")
