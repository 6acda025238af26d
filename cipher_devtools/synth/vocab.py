"""Word lists for the synthetic admissions calls. Everything here is fictional or generic.

People's names are common first and last names combined at random; streets are generic; phone numbers use the
555 exchange; email local parts are made from the fictional names. Cities and states are real places (a city on
its own identifies nobody), with ZIP prefixes of the right region so that the ZIP codes look plausible. The
competitor centers are invented; the insurers are real carriers because callers name them and Tier 3 counts them.
"""

from __future__ import annotations

CENTER_NAME = "Harborview Recovery Center"
CENTER_SITE = "https://www.harborviewrecovery.example"

# First names that are also ordinary English words: the hard cases for a de-identifier.
WORD_NAMES_FEMALE = ["Hope", "Rose", "Faith", "April", "Summer", "Dawn", "Grace", "Joy", "Autumn", "Ivy"]
WORD_NAMES_MALE = ["Will", "Mark", "Grant", "Bill", "Hunter", "Chase", "Wade", "Miles", "Rich", "Drew"]

FIRST_NAMES_FEMALE = [
    "Maria", "Jennifer", "Linda", "Patricia", "Susan", "Karen", "Michelle", "Angela", "Denise", "Teresa",
    "Kristen", "Caitlin", "Monica", "Yolanda", "Brenda", "Tanya", "Rachel", "Ashley", "Megan", "Lauren",
    "Carmen", "Rosa", "Guadalupe", "Mei", "Priya", "Keisha", "Tamika", "Shannon", "Heather", "Nicole",
    "Lupita", "Xiomara", "Thuy", "Anh", "Marisol", "Ngozi", "Fatima", "Anahit", "Leilani", "Siobhan",
    "Tiffany", "Brittany", "Crystal", "Jolene", "Darlene", "Roxanne", "Imani", "Jasmine", "Ximena", "Noor",
    "Kateri", "Wren", "Beatriz", "Svetlana", "Oksana", "Hana", "Yesenia", "Marlene", "Charlene", "Delphine",
] + WORD_NAMES_FEMALE
FIRST_NAMES_MALE = [
    "Derek", "Michael", "David", "James", "Robert", "Carlos", "Luis", "Anthony", "Brandon", "Tyler",
    "Kevin", "Jason", "Marcus", "Darnell", "Shawn", "Travis", "Cody", "Dustin", "Eric", "Jon",
    "Miguel", "Jorge", "Andre", "Trevor", "Kyle", "Ryan", "Sean", "Victor", "Raymond", "Dennis",
    "Thanh", "Minh", "Arturo", "Efrain", "Chinedu", "Tariq", "Armen", "Keanu", "Declan", "Bogdan",
    "Jayden", "Dakota", "Colton", "Rashad", "Dwayne", "Ignacio", "Rogelio", "Ahmed", "Kenji", "Mateo",
    "Shane", "Brody", "Jaime", "Lorenzo", "Tobias", "Emmett", "Desmond", "Cyrus", "Reggie", "Hector",
] + WORD_NAMES_MALE

LAST_NAMES = [
    "Holloway", "Lopez", "Garcia", "Nguyen", "Patel", "Johnson", "Williams", "Brown", "Martinez", "Davis",
    "Rodriguez", "Hernandez", "Thompson", "Whitaker", "McAllister", "Delacruz", "Okafor", "Kowalski",
    "Brennan", "Castellanos", "Fitzgerald", "Yamamoto", "Washington", "Reyes", "Sullivan", "Pham",
    "Abernathy", "Lindqvist", "Moreno", "Gallagher", "Baptiste", "Ramirez", "Chen", "Park", "Ferreira",
    "Underwood", "Kessler", "Montgomery", "Vasquez", "Haddad", "Ostrowski", "Mendoza", "Tran", "Bishop",
    "Nwosu", "Villanueva", "Tuiasosopo", "Sarkisian", "Begay", "Oyelaran", "Dubois", "Szymanski", "Quintero",
    "Nakamura", "Lachance", "Obregon", "Petrosyan", "Halvorsen", "Acosta", "Mbeki", "Rahimi", "Esparza",
    "Prewitt", "Dunleavy", "Cardenas", "Galloway", "Truong", "Zamora", "Whitfield", "Espinoza", "Kealoha",
    # surnames that are ordinary words
    "Rivers", "Hunter", "Summers", "Banks", "Wells", "Price", "Fox", "Young", "Bell", "Stone",
    "Black", "Marsh", "Waters", "Hall", "Lane", "Street", "Rich", "Brooks", "Frost", "Woods",
]

STAFF_FIRST_NAMES = ["Dana", "Alicia", "Marcus", "Jenna", "Tom", "Renee", "Carla", "Dominic", "Lisa", "Paul"]
STAFF_SEX = {"Dana": "f", "Alicia": "f", "Marcus": "m", "Jenna": "f", "Tom": "m", "Renee": "f", "Carla": "f",
             "Dominic": "m", "Lisa": "f", "Paul": "m"}

# (city, county, state name, state abbreviation, area codes, ZIP prefixes)
CITIES = [
    ("San Diego", "San Diego County", "California", "CA", ["619", "858"], ["921"]),
    ("Chula Vista", "San Diego County", "California", "CA", ["619"], ["919"]),
    ("Oceanside", "San Diego County", "California", "CA", ["760"], ["920"]),
    ("Escondido", "San Diego County", "California", "CA", ["760", "442"], ["920"]),
    ("El Cajon", "San Diego County", "California", "CA", ["619"], ["920"]),
    ("Temecula", "Riverside County", "California", "CA", ["951"], ["925"]),
    ("Riverside", "Riverside County", "California", "CA", ["951"], ["925"]),
    ("Irvine", "Orange County", "California", "CA", ["949"], ["926"]),
    ("Anaheim", "Orange County", "California", "CA", ["714"], ["928"]),
    ("Long Beach", "Los Angeles County", "California", "CA", ["562"], ["908"]),
    ("Pasadena", "Los Angeles County", "California", "CA", ["626"], ["911"]),
    ("Bakersfield", "Kern County", "California", "CA", ["661"], ["933"]),
    ("Fresno", "Fresno County", "California", "CA", ["559"], ["937"]),
    ("Sacramento", "Sacramento County", "California", "CA", ["916"], ["958"]),
    ("Phoenix", "Maricopa County", "Arizona", "AZ", ["602", "480"], ["850"]),
    ("Tucson", "Pima County", "Arizona", "AZ", ["520"], ["857"]),
    ("Yuma", "Yuma County", "Arizona", "AZ", ["928"], ["853"]),
    ("Las Vegas", "Clark County", "Nevada", "NV", ["702"], ["891"]),
    ("Henderson", "Clark County", "Nevada", "NV", ["702"], ["890"]),
    ("Reno", "Washoe County", "Nevada", "NV", ["775"], ["895"]),
    ("Portland", "Multnomah County", "Oregon", "OR", ["503"], ["972"]),
    ("Boise", "Ada County", "Idaho", "ID", ["208"], ["837"]),
    ("Salt Lake City", "Salt Lake County", "Utah", "UT", ["801"], ["841"]),
    ("Albuquerque", "Bernalillo County", "New Mexico", "NM", ["505"], ["871"]),
    ("Denver", "Denver County", "Colorado", "CO", ["720", "303"], ["802"]),
]

STREET_NAMES = [
    "Maple", "Oak", "Cedar", "Sycamore", "Pine", "Juniper", "Willow", "Birch", "Magnolia", "Alder",
    "Mesa Verde", "Canyon Ridge", "Sunset", "Harbor View", "Palomar", "Vista Grande", "Rancho", "Coral",
    "Lincoln", "Jefferson", "Franklin", "Mission", "Del Mar", "Orchard", "Lakeshore", "Hillcrest",
]
STREET_TYPES = ["Street", "Avenue", "Drive", "Road", "Lane", "Court", "Way", "Boulevard", "Place", "Circle"]
STREET_ABBREV = {"Street": "St", "Avenue": "Ave", "Drive": "Dr", "Road": "Rd", "Lane": "Ln", "Court": "Ct",
                 "Way": "Way", "Boulevard": "Blvd", "Place": "Pl", "Circle": "Cir"}

EMAIL_DOMAINS = ["gmail.com", "yahoo.com", "outlook.com", "icloud.com", "hotmail.com", "aol.com", "example.com"]

# canonical insurer -> how callers say it
INSURERS = {
    "aetna": ["Aetna"],
    "cigna": ["Cigna"],
    "bcbs": ["Blue Cross Blue Shield", "Blue Cross", "Anthem Blue Cross", "Blue Shield"],
    "unitedhealthcare": ["UnitedHealthcare", "United Healthcare", "United"],
    "humana": ["Humana"],
    "kaiser": ["Kaiser", "Kaiser Permanente"],
    "medicaid": ["Medicaid", "Medi-Cal"],
    "tricare": ["Tricare"],
}
# how Whisper tends to write them
INSURER_ASR = {
    "Blue Cross Blue Shield": ["blue cross blue shield", "BlueCross BlueShield", "Blue Cross, Blue Shield"],
    "UnitedHealthcare": ["United Health Care", "united healthcare"],
    "United Healthcare": ["United Health Care"],
    "Medi-Cal": ["MediCal", "Medical", "medi-cal"],
    "Tricare": ["TRICARE", "Tri-Care", "tri care"],
    "Kaiser Permanente": ["Kaiser Permanente", "kaiser permanente", "Kaiser Permanenti"],
    "Cigna": ["Signa", "cigna"],
    "Aetna": ["Etna", "aetna"],
    "Humana": ["humana", "Human A"],
}

# canonical competitor -> spoken forms (all fictional centers)
COMPETITORS = {
    "seaside_recovery": ["Seaside Recovery", "Seaside"],
    "pinecrest_treatment_center": ["Pinecrest Treatment Center", "Pinecrest"],
    "new_dawn_detox": ["New Dawn Detox", "New Dawn"],
    "lakeview_behavioral_health": ["Lakeview Behavioral Health", "Lakeview"],
    "serenity_sober_living": ["Serenity Sober Living", "Serenity House"],
    "desert_sage_recovery": ["Desert Sage Recovery", "Desert Sage"],
    "coastal_path_treatment": ["Coastal Path Treatment", "Coastal Path"],
}
COMPETITOR_ASR = {
    "Seaside Recovery": ["Sea Side Recovery", "seaside recovery"],
    "Pinecrest Treatment Center": ["Pine Crest Treatment Center", "pinecrest treatment center"],
    "Pinecrest": ["Pine Crest"],
    "New Dawn Detox": ["new dawn detox", "New Don Detox"],
    "Lakeview Behavioral Health": ["Lake View Behavioral Health", "lakeview behavioral health"],
    "Lakeview": ["Lake View"],
    "Serenity Sober Living": ["serenity sober living", "Serenity Sober-Living"],
    "Desert Sage Recovery": ["Desert Sage recovery", "desert sage recovery"],
    "Coastal Path Treatment": ["Coastal Pass Treatment", "coastal path treatment"],
}

# substance -> words a caller uses for it (must survive: Tier 3 counts them)
SUBSTANCES = {
    "alcohol": ["alcohol", "drinking", "vodka"],
    "opioids": ["opioids", "pain pills", "oxycodone", "Percocet"],
    "fentanyl": ["fentanyl", "fentanyl", "blues"],
    "heroin": ["heroin"],
    "benzos": ["benzos", "Xanax", "Klonopin"],
    "meth": ["meth", "methamphetamine", "crystal"],
    "cocaine": ["cocaine", "crack"],
}
MEDICATIONS = ["Suboxone", "methadone", "Narcan", "Vivitrol", "naltrexone", "buprenorphine", "Sublocade"]
MEDICATION_ASR = {
    "Suboxone": ["suboxone", "Saboxone", "sub oxone"],
    "Vivitrol": ["vivitrol", "Vivatrol"],
    "Narcan": ["narcan", "Narcan"],
    "buprenorphine": ["bupe", "buprenorphine"],
    "Sublocade": ["sublocade"],
}
PROGRAMS = {
    "detox": ["medical detox", "detox"],
    "residential": ["residential", "inpatient"],
    "php": ["PHP", "partial hospitalization"],
    "iop": ["IOP", "intensive outpatient"],
    "outpatient": ["outpatient"],
    "mat": ["MAT", "medication-assisted treatment"],
    "sober_living": ["sober living"],
}
PROGRAM_ASR = {"IOP": ["I.O.P.", "iop", "IOP"], "PHP": ["P.H.P.", "php", "PHP"], "MAT": ["M.A.T.", "mat", "MAT"]}

CLINICS = [
    "Mission Valley Family Medicine", "Bayside Memorial Hospital", "North County Community Clinic",
    "Palomar Urgent Care", "Canyon Ridge Medical Group", "Sunrise Behavioral Associates",
    "Grossmont Valley Health", "Coastline Internal Medicine", "Mesa Pain Management",
]
EMPLOYERS = [
    "Coastline Logistics", "Pacific Ridge Builders", "Sunbelt Auto Group", "Harbor Freightways",
    "Del Mar Dental Partners", "Westgate Elementary", "Valley Fresh Markets", "Tri-County Plumbing",
    "Summit Solar", "Blue Fin Seafood Grill",
]
# (first person, third person)
EMPLOYER_JOBS = [("work at", "works at"), ("am a manager at", "is a manager at"), ("drive for", "drives for"),
                 ("work nights at", "works nights at"), ("am an electrician with", "is an electrician with"),
                 ("teach at", "teaches at"), ("do payroll for", "does payroll for")]

CAMPAIGNS = {
    "google_ads": [("cpc", "Detox - Brand", "harborview recovery"), ("cpc", "Alcohol Rehab - Generic", "alcohol detox near me"),
                   ("cpc", "Opioid Detox - Generic", "fentanyl detox center"), ("cpc", "Insurance - Aetna", "rehab that takes aetna"),
                   ("cpc", "Family Support", "how to help my son with addiction")],
    "bing_ads": [("cpc", "Alcohol Rehab - Generic", "inpatient alcohol rehab"), ("cpc", "Detox - Brand", "harborview rehab"),
                 ("cpc", "MAT - Generic", "suboxone clinic near me")],
    "facebook": [("social", "Family Support", ""), ("social", "Retargeting - Site Visitors", ""),
                 ("social", "Veterans Program", "")],
    "organic": [("organic", "", "drug rehab san diego"), ("organic", "", ""), ("organic", "", "does insurance cover rehab")],
    "referral": [("referral", "", ""), ("referral", "Partner Directory", "")],
    "direct": [("none", "", "")],
}
SOURCE_WEIGHTS = {"google_ads": 40, "bing_ads": 8, "facebook": 12, "organic": 20, "referral": 10, "direct": 10}
LANDING_PAGES = ["/", "/alcohol-detox", "/opioid-addiction-treatment", "/insurance-verification", "/programs/iop",
                 "/programs/residential", "/family", "/admissions", "/fentanyl-detox", "/mat-suboxone"]
TRACKING_NUMBERS = ["6195550100", "6195550117", "8585550142", "7605550163", "8005550190"]

# Chosen by how well Whisper base transcribes each one on a fixed admissions paragraph (token match 0.72-0.84 at
# 16 kHz); en-us+f4 (0.70) and en-gb-scotland+f4 (0.67) were dropped as the least intelligible. At least three
# female and three male voices per side, so a voice can match the speaker's sex (espeak-ng +fN female, +mN male).
VOICES_AGENT = [("en-us+f2", 175, 55), ("en-us+m3", 175, 45), ("en-us+f3", 170, 58), ("en-us+m1", 170, 50),
                ("en-us+f1", 170, 60), ("en-us+m2", 170, 48)]
VOICES_CALLER = [("en-us+m2", 160, 40), ("en-us+f1", 165, 65), ("en-gb+m4", 160, 45), ("en-us+f5", 155, 70),
                 ("en-us-nyc+m5", 165, 50), ("en-gb-x-rp+f2", 160, 62), ("en-us+m7", 165, 35),
                 ("en-029+m3", 155, 50), ("en-us+f3", 160, 52), ("en-gb+f1", 160, 64)]


def voice_sex(name: str) -> str:
    """ "en-us+f2" -> "f": espeak-ng's +fN variants are female, +mN male."""
    return "f" if "+f" in name else "m"
