"""Small built-in tables of well-known names: countries with their demonyms and capitals,
name variants, acronyms, state media and news agencies, intelligence services."""

from __future__ import annotations

# country -> (demonyms, capital(s))
_COUNTRIES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "United States": (("American", "Americans", "U.S.", "US"), ("Washington",)),
    "United Kingdom": (("British", "Briton", "Britons"), ("London",)),
    "Russia": (("Russian", "Russians"), ("Moscow",)),
    "Ukraine": (("Ukrainian", "Ukrainians"), ("Kyiv", "Kiev")),
    "North Korea": (("North Korean", "North Koreans"), ("Pyongyang",)),
    "South Korea": (("South Korean", "South Koreans"), ("Seoul",)),
    "China": (("Chinese",), ("Beijing",)),
    "Japan": (("Japanese",), ("Tokyo",)),
    "Taiwan": (("Taiwanese",), ("Taipei",)),
    "India": (("Indian", "Indians"), ("New Delhi",)),
    "Pakistan": (("Pakistani", "Pakistanis"), ("Islamabad",)),
    "Afghanistan": (("Afghan", "Afghans"), ("Kabul",)),
    "Iran": (("Iranian", "Iranians"), ("Tehran",)),
    "Iraq": (("Iraqi", "Iraqis"), ("Baghdad",)),
    "Syria": (("Syrian", "Syrians"), ("Damascus",)),
    "Israel": (("Israeli", "Israelis"), ("Jerusalem",)),
    "Saudi Arabia": (("Saudi", "Saudis"), ("Riyadh",)),
    "Turkey": (("Turkish", "Turks"), ("Ankara",)),
    "Egypt": (("Egyptian", "Egyptians"), ("Cairo",)),
    "France": (("French",), ("Paris",)),
    "Germany": (("German", "Germans"), ("Berlin",)),
    "Italy": (("Italian", "Italians"), ("Rome",)),
    "Spain": (("Spanish",), ("Madrid",)),
    "Poland": (("Polish", "Poles"), ("Warsaw",)),
    "Belarus": (("Belarusian", "Belarusians"), ("Minsk",)),
    "Canada": (("Canadian", "Canadians"), ("Ottawa",)),
    "Mexico": (("Mexican", "Mexicans"), ("Mexico City",)),
    "Brazil": (("Brazilian", "Brazilians"), ("Brasilia", "Brasília")),
    "Australia": (("Australian", "Australians"), ("Canberra",)),
    "Indonesia": (("Indonesian", "Indonesians"), ("Jakarta",)),
    "Malaysia": (("Malaysian", "Malaysians"), ("Kuala Lumpur",)),
    "Thailand": (("Thai",), ("Bangkok",)),
    "Vietnam": (("Vietnamese",), ("Hanoi",)),
    "Philippines": (("Filipino", "Filipinos", "Philippine"), ("Manila",)),
    "Myanmar": (("Burmese",), ("Naypyidaw",)),
    "Bangladesh": (("Bangladeshi", "Bangladeshis"), ("Dhaka",)),
    "Nigeria": (("Nigerian", "Nigerians"), ("Abuja",)),
    "South Africa": (("South African", "South Africans"), ("Pretoria",)),
    "Kenya": (("Kenyan", "Kenyans"), ("Nairobi",)),
    "Ethiopia": (("Ethiopian", "Ethiopians"), ("Addis Ababa",)),
    "Sudan": (("Sudanese",), ("Khartoum",)),
    "Libya": (("Libyan", "Libyans"), ("Tripoli",)),
    "Lebanon": (("Lebanese",), ("Beirut",)),
    "Jordan": (("Jordanian", "Jordanians"), ("Amman",)),
    "Yemen": (("Yemeni", "Yemenis"), ("Sanaa",)),
    "Qatar": (("Qatari", "Qataris"), ("Doha",)),
    "Greece": (("Greek", "Greeks"), ("Athens",)),
    "Sweden": (("Swedish", "Swedes"), ("Stockholm",)),
    "Norway": (("Norwegian", "Norwegians"), ("Oslo",)),
    "Finland": (("Finnish", "Finns"), ("Helsinki",)),
    "Netherlands": (("Dutch",), ("Amsterdam",)),
    "Belgium": (("Belgian", "Belgians"), ("Brussels",)),
    "Switzerland": (("Swiss",), ("Bern",)),
    "Austria": (("Austrian", "Austrians"), ("Vienna",)),
    "Hungary": (("Hungarian", "Hungarians"), ("Budapest",)),
    "Romania": (("Romanian", "Romanians"), ("Bucharest",)),
    "Serbia": (("Serbian", "Serbs"), ("Belgrade",)),
    "Georgia": (("Georgian", "Georgians"), ("Tbilisi",)),
    "Armenia": (("Armenian", "Armenians"), ("Yerevan",)),
    "Azerbaijan": (("Azerbaijani", "Azerbaijanis"), ("Baku",)),
    "Cuba": (("Cuban", "Cubans"), ("Havana",)),
    "Venezuela": (("Venezuelan", "Venezuelans"), ("Caracas",)),
    "Colombia": (("Colombian", "Colombians"), ("Bogota", "Bogotá")),
    "Argentina": (("Argentine", "Argentinian", "Argentines"), ("Buenos Aires",)),
    "Chile": (("Chilean", "Chileans"), ("Santiago",)),
    "Ireland": (("Irish",), ("Dublin",)),
    "Portugal": (("Portuguese",), ("Lisbon",)),
    "Denmark": (("Danish", "Danes"), ("Copenhagen",)),
    "Estonia": (("Estonian", "Estonians"), ("Tallinn",)),
    "Latvia": (("Latvian", "Latvians"), ("Riga",)),
    "Lithuania": (("Lithuanian", "Lithuanians"), ("Vilnius",)),
    "Gabon": (("Gabonese",), ("Libreville",)),
    "New Zealand": (("New Zealander", "New Zealanders"), ("Wellington",)),
    "Singapore": (("Singaporean", "Singaporeans"), ()),
    "Mongolia": (("Mongolian", "Mongolians"), ("Ulaanbaatar",)),
    "Kazakhstan": (("Kazakh", "Kazakhs"), ("Astana",)),
}

#: surface variant -> canonical country name
COUNTRY_VARIANTS: dict[str, str] = {
    "US": "United States", "U.S.": "United States", "U.S": "United States",
    "USA": "United States", "U.S.A.": "United States", "United States of America": "United States",
    "America": "United States", "the States": "United States",
    "UK": "United Kingdom", "U.K.": "United Kingdom", "Britain": "United Kingdom",
    "Great Britain": "United Kingdom",
    "DPRK": "North Korea", "D.P.R.K.": "North Korea",
    "Democratic People's Republic of Korea": "North Korea",
    "ROK": "South Korea", "Republic of Korea": "South Korea",
    "Russian Federation": "Russia", "PRC": "China", "People's Republic of China": "China",
    "Burma": "Myanmar", "Holland": "Netherlands", "the Netherlands": "Netherlands",
    "UAE": "United Arab Emirates", "Persia": "Iran",
}
for _c in _COUNTRIES:
    COUNTRY_VARIANTS.setdefault(_c, _c)

#: demonym -> country ("North Korean troops" is a mention of North Korea)
DEMONYMS: dict[str, str] = {}
#: capital -> country (a capital used for its government is a metonym)
CAPITALS: dict[str, str] = {}
for _c, (_dems, _caps) in _COUNTRIES.items():
    for _d in _dems:
        if _d not in {"U.S.", "US"}:
            DEMONYMS[_d] = _c
    for _k in _caps:
        CAPITALS[_k] = _c

#: seats of government that stand for their country whatever their syntax
SEATS: dict[str, str] = {
    "Kremlin": "Russia", "White House": "United States", "Pentagon": "United States",
    "Downing Street": "United Kingdom", "Whitehall": "United Kingdom", "Elysee": "France",
    "Élysée": "France", "Zhongnanhai": "China", "Blue House": "South Korea",
    "Capitol Hill": "United States", "Foggy Bottom": "United States",
}

#: well-known acronyms -> expansion
ACRONYMS: dict[str, str] = {
    "NIS": "National Intelligence Service",
    "KCNA": "Korean Central News Agency",
    "NATO": "North Atlantic Treaty Organization",
    "UN": "United Nations", "U.N.": "United Nations",
    "EU": "European Union", "E.U.": "European Union",
    "CIA": "Central Intelligence Agency", "FBI": "Federal Bureau of Investigation",
    "NSA": "National Security Agency", "DIA": "Defense Intelligence Agency",
    "FSB": "Federal Security Service", "GRU": "Main Intelligence Directorate",
    "SVR": "Foreign Intelligence Service", "KGB": "Committee for State Security",
    "SBU": "Security Service of Ukraine", "MI6": "Secret Intelligence Service",
    "MI5": "Security Service", "GCHQ": "Government Communications Headquarters",
    "IAEA": "International Atomic Energy Agency", "WHO": "World Health Organization",
    "IMF": "International Monetary Fund", "WTO": "World Trade Organization",
    "OPEC": "Organization of the Petroleum Exporting Countries",
    "ASEAN": "Association of Southeast Asian Nations", "AU": "African Union",
    "ICC": "International Criminal Court", "ICJ": "International Court of Justice",
    "UNHCR": "United Nations High Commissioner for Refugees",
    "UNICEF": "United Nations Children's Fund", "AP": "Associated Press",
    "AFP": "Agence France-Presse", "BBC": "British Broadcasting Corporation",
    "CNN": "Cable News Network", "NHK": "Japan Broadcasting Corporation",
    "KCTV": "Korean Central Television", "DoD": "Department of Defense",
    "DHS": "Department of Homeland Security", "JCS": "Joint Chiefs of Staff",
    "PLA": "People's Liberation Army", "CCP": "Chinese Communist Party",
    "NASA": "National Aeronautics and Space Administration",
    "OSCE": "Organization for Security and Co-operation in Europe",
    "G7": "Group of Seven", "G20": "Group of Twenty",
}

INTELLIGENCE_WORDS = {"intelligence", "spy", "security service", "espionage"}
INTELLIGENCE_NAMES = {"NIS", "CIA", "NSA", "DIA", "FSB", "GRU", "SVR", "KGB", "SBU", "MI6",
                      "MI5", "GCHQ", "Mossad", "ISI", "DGSE", "BND", "ASIS", "CSIS", "RGB"}
STATE_MEDIA = {
    "KCNA", "Korean Central News Agency", "Xinhua", "Xinhua News Agency", "TASS", "Tass",
    "RIA Novosti", "RIA", "CCTV", "China Central Television", "RT", "Russia Today", "Sputnik",
    "Press TV", "IRNA", "SANA", "KCTV", "Korean Central Television", "Rodong Sinmun",
    "Global Times", "People's Daily", "Fars", "Tasnim", "Rossiya", "Channel One", "CGTN",
    "Islamic Republic News Agency", "Syrian Arab News Agency", "Al-Ikhbariya",
}
NEWS_AGENCIES = {
    "Reuters", "AP", "Associated Press", "AFP", "Agence France-Presse", "Yonhap",
    "Yonhap News Agency", "Kyodo", "Kyodo News", "Bloomberg", "Dow Jones", "UPI",
    "United Press International", "dpa", "Deutsche Presse-Agentur", "ANSA", "EFE", "PTI",
    "Press Trust of India", "Interfax", "Anadolu", "Anadolu Agency", "BBC", "CNN", "NHK",
    "Al Jazeera", "ABC News", "NBC News", "CBS News", "Fox News", "Sky News",
}
NEWS_WORDS = ("news agency", "news", "press", "times", "post", "journal", "herald", "tribune",
              "television", "radio", "broadcasting", "gazette", "daily", "telegraph",
              "guardian", "newspaper", "magazine", "wire", "tv", "channel")

#: words that are titles or roles in front of a name, never part of it
TITLE_WORDS = {
    "president", "minister", "secretary", "general", "spokesperson", "spokesman",
    "spokeswoman", "lawmaker", "leader", "chairman", "chairwoman", "chair", "director",
    "chief", "ambassador", "senator", "representative", "rep.", "sen.", "gov.", "governor",
    "mayor", "premier", "chancellor", "king", "queen", "prince", "princess", "pope", "judge",
    "justice", "commander", "colonel", "major", "captain", "lieutenant", "sergeant",
    "admiral", "officer", "official", "mr.", "mrs.", "ms.", "dr.", "prof.", "professor",
    "sir", "dame", "lord", "lady", "deputy", "vice", "foreign", "defense", "defence",
    "prime", "state", "head", "envoy", "diplomat", "analyst", "member", "founder",
    "co-founder", "ceo", "executive", "coach", "manager", "editor", "reporter",
    "correspondent", "adviser", "advisor", "aide", "counterpart", "mp",
    "dr", "mr", "mrs", "ms", "gen.", "gen", "lt.", "col.", "sgt.", "cpt.", "capt.",
}

#: head nouns of descriptions that can stand for an organisation introduced earlier, by class
ORG_CLASSES: dict[str, str] = {
    "agency": "agency", "service": "agency", "bureau": "agency", "directorate": "agency",
    "office": "agency", "ministry": "ministry", "department": "ministry",
    "company": "company", "firm": "company", "corporation": "company", "group": "company",
    "conglomerate": "company", "maker": "company", "manufacturer": "company",
    "carrier": "company", "airline": "company", "bank": "bank", "lender": "bank",
    "party": "party", "alliance": "alliance", "bloc": "alliance", "organization": "org",
    "organisation": "org", "body": "org", "council": "council", "committee": "council",
    "commission": "council", "court": "court", "tribunal": "court", "university": "school",
    "school": "school", "college": "school", "newspaper": "media", "paper": "media",
    "broadcaster": "media", "network": "media", "outlet": "media", "channel": "media",
    "daily": "media", "police": "police", "army": "military", "military": "military",
    "navy": "military", "force": "military", "forces": "military", "parliament": "council",
    "assembly": "council", "union": "org", "association": "org", "foundation": "org",
    "charity": "org", "institute": "school", "team": "team", "club": "team",
}
ORG_NAME_HEADS: dict[str, str] = dict(ORG_CLASSES)
ORG_NAME_HEADS.update({"agency": "agency", "service": "agency", "administration": "agency",
                       "authority": "agency", "command": "military", "times": "media",
                       "post": "media", "news": "media", "press": "media", "ministry": "ministry",
                       "inc.": "company", "inc": "company", "ltd": "company", "corp.": "company",
                       "co.": "company", "district": "school", "nations": "org"})

#: plural or indefinite heads of anonymous sources
ANON_HEADS = {
    "official", "officials", "source", "sources", "analyst", "analysts", "expert", "experts",
    "diplomat", "diplomats", "people", "person", "observer", "observers", "witness",
    "witnesses", "resident", "residents", "critic", "critics", "insider", "insiders",
    "researcher", "researchers", "scientist", "scientists", "investigator", "investigators",
    "authority", "authorities", "police", "aide", "aides", "lawmaker", "lawmakers",
    "activist", "activists", "someone", "some", "others", "many", "spokesperson",
    "spokesman", "spokeswoman", "member", "members", "employee", "employees", "worker",
    "workers", "doctor", "doctors", "teacher", "student", "students", "parent", "parents",
    "officer", "officers", "soldier", "soldiers", "group", "groups", "commentator",
    "commentators", "user", "users", "reporter", "reporters",
}
