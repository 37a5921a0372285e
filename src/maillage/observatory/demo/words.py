"""Word lists of the demo's projects: countries weighted as Occitanie's cooperation is, towns,
titles by theme, sectors and SDG targets by theme, budgets by kind of actor, the funders."""

from maillage.directory.demo.words import COUNTRY_IN as DIRECTORY_COUNTRY_IN

# Where the projects take place (ISO code, weight): West Africa and Madagascar first, then the
# Maghreb, Haiti, the Middle East and South-East Asia.
PROJECT_COUNTRIES: tuple[tuple[str, int], ...] = (
    ("SN", 20),
    ("MG", 15),
    ("BF", 11),
    ("MA", 8),
    ("BJ", 7),
    ("ML", 5),
    ("TN", 5),
    ("TG", 4),
    ("CM", 4),
    ("HT", 4),
    ("NE", 3),
    ("CI", 3),
    ("MR", 3),
    ("LB", 3),
    ("PS", 3),
    ("VN", 3),
    ("GN", 2),
    ("KH", 2),
    ("PE", 1),
    ("BO", 1),
    ("BR", 1),
    ("IN", 1),
)
COUNTRY_IN = {**DIRECTORY_COUNTRY_IN, "LB": "au Liban", "PS": "en Palestine"}

# Towns of the countries the directory's partners do not cover: (town, latitude, longitude).
EXTRA_TOWNS: dict[str, tuple[tuple[str, float, float], ...]] = {
    "NE": (("Niamey", 13.512, 2.112), ("Zinder", 13.807, 8.988), ("Tahoua", 14.889, 5.265)),
    "CI": (("Bouaké", 7.690, -5.030), ("Korhogo", 9.458, -5.630), ("San-Pédro", 4.748, -6.636)),
    "GN": (("Kindia", 10.057, -12.865), ("Labé", 11.318, -12.283)),
    "MR": (("Rosso", 16.513, -15.805), ("Kaédi", 16.150, -13.504)),
    "LB": (("Tripoli", 34.437, 35.850), ("Saïda", 33.563, 35.369), ("Zahlé", 33.846, 35.902)),
    "PS": (("Naplouse", 32.222, 35.262), ("Hébron", 31.532, 35.095), ("Bethléem", 31.705, 35.202)),
    "VN": (("Hué", 16.463, 107.590), ("Lao Cai", 22.486, 103.971), ("Cân Tho", 10.045, 105.747)),
    "KH": (("Siem Reap", 13.362, 103.860), ("Battambang", 13.095, 103.202)),
    "PE": (("Cuzco", -13.532, -71.967), ("Ayacucho", -13.163, -74.224)),
    "BO": (("Cochabamba", -17.389, -66.157), ("Sucre", -19.033, -65.262)),
    "BR": (("Recife", -8.048, -34.877), ("Salvador", -12.971, -38.501)),
    "IN": (("Pondichéry", 11.914, 79.812), ("Madurai", 9.925, 78.120)),
}

# Partners abroad the demo adds where the directory has none: (name, country, town).
EXTRA_PARTNERS: tuple[tuple[str, str, str], ...] = (
    ("Association pour le développement de Zinder", "NE", "Zinder"),
    ("Union des coopératives de Tahoua", "NE", "Tahoua"),
    ("Centre de santé communautaire de Korhogo", "CI", "Korhogo"),
    ("Association des femmes de Labé", "GN", "Labé"),
    ("Groupement des maraîchers de Rosso", "MR", "Rosso"),
    ("Municipalité de Zahlé", "LB", "Zahlé"),
    ("Association des jeunes de Saïda", "LB", "Saïda"),
    ("Municipalité de Naplouse", "PS", "Naplouse"),
    ("Centre culturel de Bethléem", "PS", "Bethléem"),
    ("Union des femmes de Lao Cai", "VN", "Lao Cai"),
    ("Comité populaire de Hué", "VN", "Hué"),
    ("Association des agriculteurs de Battambang", "KH", "Battambang"),
)

# Titles by theme: {of_town} "de Podor", {at_town} "à Podor", {in_country} "au Sénégal".
TITLES: dict[str, tuple[str, ...]] = {
    "eau-assainissement": (
        "Accès à l’eau potable dans la commune rurale {of_town}",
        "Construction de latrines dans les écoles {of_town}",
        "Forages et comités de gestion de l’eau autour {of_town}",
        "Réhabilitation du réseau d’eau {of_town}",
        "Hygiène et assainissement dans les quartiers {of_town}",
        "Gestion durable de la ressource en eau {in_country}",
    ),
    "sante": (
        "Santé maternelle et infantile dans le district {of_town}",
        "Équipement du centre de santé {of_town}",
        "Prévention du paludisme dans les villages autour {of_town}",
        "Formation d’agents de santé communautaire {in_country}",
        "Nutrition des enfants de moins de cinq ans {at_town}",
    ),
    "education-formation": (
        "Construction de salles de classe à l’école primaire {of_town}",
        "Création de bibliothèques scolaires {at_town}",
        "Formation professionnelle des jeunes {of_town}",
        "Soutien à la scolarisation des filles {in_country}",
        "Centre de formation aux métiers du bâtiment {at_town}",
    ),
    "agriculture-securite-alimentaire": (
        "Maraîchage et sécurité alimentaire {at_town}",
        "Appui aux groupements de femmes maraîchères {of_town}",
        "Agroécologie et semences paysannes {in_country}",
        "Banques de céréales des villages autour {of_town}",
        "Aménagement d’un périmètre irrigué {at_town}",
    ),
    "developpement-economique-insertion": (
        "Appui aux micro-entreprises des jeunes {of_town}",
        "Transformation et vente des produits locaux {at_town}",
        "Accompagnement des artisans {of_town}",
    ),
    "economie-sociale-solidaire": (
        "Coopératives de transformation agroalimentaire {at_town}",
        "Mutuelle d’épargne et de crédit {of_town}",
        "Commerce équitable avec les producteurs {of_town}",
    ),
    "ecsi": (
        "Échanges scolaires et citoyenneté avec {town}",
        "Sensibilisation des collégiens à la solidarité avec {town}",
        "Festival des solidarités : regards croisés avec {town}",
    ),
    "culture-patrimoine": (
        "Échanges culturels et artistiques avec {town}",
        "Valorisation du patrimoine bâti {of_town}",
        "Création d’un centre culturel {at_town}",
    ),
    "environnement-climat": (
        "Reboisement et lutte contre l’érosion autour {of_town}",
        "Adaptation au changement climatique des agriculteurs {of_town}",
        "Foyers améliorés et préservation des forêts {at_town}",
    ),
    "energie": (
        "Électrification solaire des centres de santé {of_town}",
        "Pompes solaires pour le maraîchage {at_town}",
        "Accès à l’énergie solaire dans les villages autour {of_town}",
    ),
    "egalite-femmes-hommes": (
        "Autonomisation économique des femmes {of_town}",
        "Lutte contre les violences faites aux femmes {in_country}",
        "Alphabétisation et leadership des femmes {at_town}",
    ),
    "gouvernance-decentralisation": (
        "Coopération décentralisée avec la commune {of_town}",
        "Appui à la maîtrise d’ouvrage communale {of_town}",
        "État civil et gouvernance locale {at_town}",
    ),
    "migrations-developpement": (
        "Projets de la diaspora pour le développement {of_town}",
        "Accompagnement des migrants de retour {in_country}",
    ),
    "jeunesse-volontariat": (
        "Chantiers de jeunes solidaires {at_town}",
        "Volontariat de réciprocité avec {town}",
        "Insertion professionnelle des jeunes {of_town}",
    ),
    "droits-humains": (
        "Accès au droit et à la justice {in_country}",
        "Défense des droits des enfants {at_town}",
    ),
    "aide-humanitaire-urgence": (
        "Aide d’urgence aux familles sinistrées {of_town}",
        "Reconstruction après les inondations {at_town}",
    ),
    "urbanisme-habitat-infrastructures": (
        "Aménagement des quartiers précaires {of_town}",
        "Réhabilitation des pistes rurales autour {of_town}",
    ),
    "numerique": (
        "Salle informatique et formation au numérique {at_town}",
        "Inclusion numérique des jeunes {of_town}",
    ),
}

# The sectors a project of each theme usually has (kept when they belong to the theme's DAC
# categories in the thesaurus).
THEME_SECTORS: dict[str, tuple[str, ...]] = {
    "eau-assainissement": ("14030", "14031", "14032", "14081", "14021"),
    "sante": ("12220", "12261", "12240", "12191", "12230"),
    "education-formation": ("11220", "11330", "11120", "11130", "11231"),
    "agriculture-securite-alimentaire": ("31161", "31120", "31166", "31191", "31163", "52010"),
    "developpement-economique-insertion": ("25030", "32130", "32161", "24040"),
    "economie-sociale-solidaire": ("25030", "24040"),
    "ecsi": ("99820",),
    "culture-patrimoine": ("16061",),
    "environnement-climat": ("41010", "41030", "41081", "31220"),
    "energie": ("23210", "23231", "23270"),
    "egalite-femmes-hommes": ("15170", "15180"),
    "gouvernance-decentralisation": ("15112", "15150", "15111"),
    "migrations-developpement": ("15190",),
    "jeunesse-volontariat": ("11330", "16020", "16061"),
    "droits-humains": ("15160", "15220"),
    "aide-humanitaire-urgence": ("72010", "73010", "74020", "52010"),
    "urbanisme-habitat-infrastructures": ("43030", "16030", "21020"),
    "numerique": ("22040",),
}

SDG_TARGETS: dict[str, tuple[str, ...]] = {
    "eau-assainissement": ("6.1", "6.2"),
    "sante": ("3.1", "3.8"),
    "education-formation": ("4.1", "4.4"),
    "agriculture-securite-alimentaire": ("2.3", "2.4"),
    "developpement-economique-insertion": ("8.3",),
    "economie-sociale-solidaire": ("8.3",),
    "ecsi": ("4.7",),
    "environnement-climat": ("13.1", "15.2"),
    "energie": ("7.1",),
    "egalite-femmes-hommes": ("5.5", "5.2"),
    "gouvernance-decentralisation": ("16.7",),
    "jeunesse-volontariat": ("4.4", "8.6"),
    "droits-humains": ("16.3",),
}

# How often each kind of actor reports projects, and its yearly budget for one (low, high, €).
REPORTING_WEIGHTS: dict[str, float] = {
    "association": 1.0,
    "collectif": 0.6,
    "federation": 0.8,
    "collectivite-territoriale": 1.2,
    "etablissement-scolaire": 0.4,
    "universite": 1.0,
    "recherche": 0.8,
    "etablissement-sante": 0.6,
    "chambre-consulaire": 0.4,
    "agence-publique": 0.6,
    "pme": 0.2,
    "ess": 0.4,
    "fondation": 0.5,
    "groupement-entreprises": 0.2,
}
BUDGET_BY_CATEGORY: dict[str, tuple[int, int]] = {
    "association": (4000, 30000),
    "collectif": (3000, 15000),
    "federation": (10000, 60000),
    "collectivite-territoriale": (15000, 90000),
    "etablissement-scolaire": (3000, 12000),
    "universite": (20000, 150000),
    "recherche": (20000, 120000),
    "etablissement-sante": (10000, 60000),
    "chambre-consulaire": (15000, 80000),
    "agence-publique": (20000, 100000),
    "pme": (10000, 60000),
    "ess": (8000, 40000),
    "fondation": (10000, 80000),
    "groupement-entreprises": (10000, 50000),
}

# The funders the demo adds to the directory (public collège): key → (name, acronym, category
# slug or "", INSEE code of its commune, IATI organisation identifier).
FUNDERS: dict[str, tuple[str, str, str, str, str]] = {
    "region": ("Région Occitanie", "", "collectivite-territoriale", "31555", ""),
    "afd": ("Agence française de développement", "AFD", "agence-publique", "75056", "FR-3"),
    "meae": ("Ministère de l’Europe et des Affaires étrangères", "MEAE", "", "75056", "FR-6"),
    "agence-eau-adour-garonne": ("Agence de l’eau Adour-Garonne", "", "agence-publique", "31555", ""),
    "agence-eau-rmc": ("Agence de l’eau Rhône Méditerranée Corse", "", "agence-publique", "34172", ""),
}
# The water agency of each département of Occitanie (its main basin).
WATER_AGENCIES: dict[str, str] = dict.fromkeys(
    ("11", "30", "34", "48", "66"), "agence-eau-rmc"
) | dict.fromkeys(("09", "12", "31", "32", "46", "65", "81", "82"), "agence-eau-adour-garonne")
# The departmental councils that fund projects, with the INSEE code of their seat.
DEPARTEMENT_SEATS: dict[str, str] = {
    "09": "09122",
    "11": "11069",
    "12": "12202",
    "30": "30189",
    "31": "31555",
    "32": "32013",
    "34": "34172",
    "46": "46042",
    "48": "48095",
    "65": "65440",
    "66": "66136",
    "81": "81004",
    "82": "82121",
}
